package dev.stowage.engine.chunker;

import dev.stowage.engine.StowageException;

import java.util.Objects;

/**
 * Precomputed Rabin fingerprint tables for one polynomial. Immutable and thread-safe; build
 * one per repository and share it between all {@link Chunker}s.
 */
public final class ChunkerTables {
    static final int WINDOW_SIZE = 64;
    /** digest >>> SHIFT is the byte that overflows the degree when the digest is shifted by 8. */
    static final int SHIFT = Polynomial.DEGREE - 8;

    private final Polynomial polynomial;
    /** out[b]: contribution of byte b as it leaves the 64-byte window, b * x^(8*63) mod P. */
    final long[] out = new long[256];
    /** mod[b]: (b * x^53 mod P) | (b << 53); xor-ing it reduces the top byte and clears it. */
    final long[] mod = new long[256];

    private ChunkerTables(Polynomial polynomial) {
        this.polynomial = polynomial;
        long p = polynomial.value();
        for (int b = 0; b < 256; b++) {
            long h = Polynomial.mod(b, p);
            for (int i = 0; i < WINDOW_SIZE - 1; i++) {
                h = Polynomial.mod(h << 8, p);
            }
            out[b] = h;
            long shifted = (long) b << Polynomial.DEGREE;
            mod[b] = Polynomial.mod(shifted, p) | shifted;
        }
    }

    /**
     * Computes the tables for {@code polynomial}.
     *
     * @throws StowageException if the polynomial does not have degree 53
     */
    public static ChunkerTables of(Polynomial polynomial) {
        Objects.requireNonNull(polynomial, "polynomial");
        if (polynomial.degree() != Polynomial.DEGREE) {
            throw new StowageException("chunker polynomial 0x" + polynomial.toHex() + " has degree "
                    + polynomial.degree() + ", but must have degree " + Polynomial.DEGREE);
        }
        return new ChunkerTables(polynomial);
    }

    /** The polynomial these tables were computed for. */
    public Polynomial polynomial() {
        return polynomial;
    }
}
