package dev.stowage.engine.chunker;

import dev.stowage.engine.StowageException;

import java.security.SecureRandom;

/**
 * Irreducible polynomial over GF(2) of degree 53 used by restic's Rabin chunker. Bit i of
 * {@code value} is the coefficient of x^i. The record itself accepts any value so that
 * candidates can be tested; {@link #parse} and {@link #random} only return valid ones.
 *
 * @param value the coefficients, read as an unsigned 64-bit number
 */
public record Polynomial(long value) {
    /** The degree restic's chunker polynomials have. */
    static final int DEGREE = 53;

    private static final int MAX_ATTEMPTS = 1_000_000;
    private static final long X = 2;

    /**
     * A random irreducible polynomial of degree 53, chosen as restic does: 8 random bytes read
     * little-endian, bits above 53 cleared, bits 53 and 0 set, retried until irreducible.
     */
    public static Polynomial random(SecureRandom rnd) {
        byte[] bytes = new byte[8];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            rnd.nextBytes(bytes);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (bytes[i] & 0xff);
            }
            v &= (1L << 54) - 1;
            v |= (1L << 53) | 1;
            Polynomial candidate = new Polynomial(v);
            if (candidate.isIrreducible()) {
                return candidate;
            }
        }
        throw new StowageException("could not find an irreducible chunker polynomial in "
                + MAX_ATTEMPTS + " attempts; the random number generator is broken");
    }

    /**
     * Parses the hexadecimal form used in the repository config ({@code chunker_polynomial}).
     *
     * @throws StowageException if {@code hex} is not hexadecimal, or the polynomial does not
     *     have degree 53 or is reducible
     */
    public static Polynomial parse(String hex) {
        if (hex == null || hex.isEmpty()) {
            throw new StowageException("invalid chunker polynomial: the value is empty");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                throw new StowageException("invalid chunker polynomial \"" + hex
                        + "\": expected hexadecimal digits only (without 0x)");
            }
        }
        long v;
        try {
            v = Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException ex) {
            throw new StowageException("invalid chunker polynomial \"" + hex
                    + "\": does not fit in 64 bits", ex);
        }
        Polynomial p = new Polynomial(v);
        if (p.degree() != DEGREE) {
            throw new StowageException("invalid chunker polynomial \"" + hex + "\": its degree is "
                    + p.degree() + ", but restic chunker polynomials have degree " + DEGREE);
        }
        if (!p.isIrreducible()) {
            throw new StowageException("invalid chunker polynomial \"" + hex
                    + "\": it is reducible, so it cannot come from restic (the repository config is damaged)");
        }
        return p;
    }

    /** Lowercase hexadecimal without {@code 0x} or leading zeros, as in the repository config. */
    public String toHex() {
        return Long.toHexString(value);
    }

    /** Ben-Or's irreducibility test; polynomials of degree below 1 are not irreducible. */
    public boolean isIrreducible() {
        int deg = degree();
        if (deg < 1) {
            return false;
        }
        // x^(2^i) mod P, advanced by one squaring per round
        long power = mod(X, value);
        for (int i = 1; i <= deg / 2; i++) {
            power = mulMod(power, power, value);
            if (gcd(value, power ^ X) != 1) {
                return false;
            }
        }
        return true;
    }

    /** Index of the highest non-zero coefficient, or -1 for the zero polynomial. */
    public int degree() {
        return deg(value);
    }

    @Override
    public String toString() {
        return "Polynomial[0x" + toHex() + "]";
    }

    static int deg(long p) {
        return 63 - Long.numberOfLeadingZeros(p);
    }

    /** x mod d over GF(2); d must not be zero. */
    static long mod(long x, long d) {
        int dd = deg(d);
        if (dd < 0) {
            throw new ArithmeticException("division by the zero polynomial");
        }
        for (int dx = deg(x); dx >= dd; dx = deg(x)) {
            x ^= d << (dx - dd);
        }
        return x;
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = mod(a, b);
            a = b;
            b = t;
        }
        return a;
    }

    /** a * b mod g over GF(2), without overflowing 64 bits for any degree of g. */
    static long mulMod(long a, long b, long g) {
        int dg = deg(g);
        if (dg < 0) {
            throw new ArithmeticException("division by the zero polynomial");
        }
        if (dg == 0) {
            return 0;
        }
        a = mod(a, g);
        b = mod(b, g);
        long result = 0;
        for (int i = deg(b); i >= 0; i--) {
            // result = result * x mod g; result has degree < dg, so the shift cannot lose bits
            boolean carry = ((result >>> (dg - 1)) & 1) != 0;
            result <<= 1;
            if (carry) {
                result ^= g;
            }
            if (((b >>> i) & 1) != 0) {
                result ^= a;
            }
        }
        return result;
    }
}
