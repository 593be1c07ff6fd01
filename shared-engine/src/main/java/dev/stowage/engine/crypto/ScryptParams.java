package dev.stowage.engine.crypto;

import dev.stowage.engine.StowageException;

/**
 * scrypt cost parameters of a key file. Valid when N is a power of two greater than 1,
 * r &ge; 1, p &ge; 1, r&middot;p &lt; 2^30 (the rules restic's scrypt library enforces), and the
 * parameters fit scrypt's own limits (N &lt; 2^(16r)) and Java array sizes.
 *
 * @param n CPU/memory cost N
 * @param r block size
 * @param p parallelism
 */
public record ScryptParams(int n, int r, int p) {
    /**
     * @throws StowageException if the parameters are not valid scrypt parameters
     */
    public ScryptParams {
        if (n <= 1 || (n & (n - 1)) != 0) {
            throw invalid("N must be a power of two greater than 1, got " + n);
        }
        if (r < 1) {
            throw invalid("r must be at least 1, got " + r);
        }
        if (p < 1) {
            throw invalid("p must be at least 1, got " + p);
        }
        if ((long) r * p >= 1L << 30) {
            throw invalid("r * p must be below 2^30, got r=" + r + ", p=" + p);
        }
        // scrypt requires N < 2^(128 * r / 8)
        if (r < 2 && n >= 1 << 16) {
            throw invalid("N must be below 65536 when r is 1, got " + n);
        }
        // scrypt's working memory is 128 * r * N bytes; the scrypt implementation also needs 1024 * r * p
        // to fit an int. Beyond that Java cannot allocate or index it.
        if (128L * r * n > Integer.MAX_VALUE || 1024L * r * p > Integer.MAX_VALUE) {
            throw invalid("N=" + n + ", r=" + r + ", p=" + p + " need more memory than one Java array can hold");
        }
    }

    /** What restic writes for new keys on typical hardware: N=32768, r=8, p=1. */
    public static ScryptParams defaults() {
        return new ScryptParams(32768, 8, 1);
    }

    private static StowageException invalid(String problem) {
        return new StowageException("invalid scrypt parameters: " + problem);
    }
}
