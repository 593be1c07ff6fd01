package dev.stowage.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 identifier: of a stored file's bytes (storage ID) or of a blob's plaintext
 * (blob ID). Held as four longs so that map lookups in large indexes are cheap.
 */
public final class Id implements Comparable<Id> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    private Id(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /** The ID made of these 32 bytes. */
    public static Id of(byte[] bytes) {
        return of(bytes, 0);
    }

    /** The ID made of 32 bytes of {@code buf} starting at {@code off}. */
    public static Id of(byte[] buf, int off) {
        if (buf.length - off < LENGTH) {
            throw new IllegalArgumentException("an ID needs 32 bytes");
        }
        return new Id(word(buf, off), word(buf, off + 8), word(buf, off + 16), word(buf, off + 24));
    }

    /** SHA-256 of {@code len} bytes of {@code buf} from {@code off}. */
    public static Id hash(byte[] buf, int off, int len) {
        MessageDigest sha = sha256();
        sha.update(buf, off, len);
        return of(sha.digest());
    }

    public static Id hash(byte[] buf) {
        return hash(buf, 0, buf.length);
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Parses 64 hex digits. */
    public static Id parse(String hex) {
        if (!isValid(hex)) {
            throw new StowageException("invalid ID \"" + hex + "\": expected 64 hex digits");
        }
        return of(HEX.parseHex(hex));
    }

    /** Whether {@code s} is 64 lower- or upper-case hex digits. */
    public static boolean isValid(String s) {
        if (s == null || s.length() != 2 * LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }

    /** Writes the 32 bytes into {@code buf} at {@code off}. */
    public void writeTo(byte[] buf, int off) {
        putWord(buf, off, w0);
        putWord(buf, off + 8, w1);
        putWord(buf, off + 16, w2);
        putWord(buf, off + 24, w3);
    }

    public String hex() {
        return HEX.formatHex(toBytes());
    }

    /** The first 8 hex digits, as restic shows snapshot IDs. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Id other && w0 == other.w0 && w1 == other.w1 && w2 == other.w2 && w3 == other.w3;
    }

    @Override
    public int hashCode() {
        // SHA-256 output is uniformly distributed: any word is a good hash
        return (int) (w0 ^ (w0 >>> 32));
    }

    @Override
    public int compareTo(Id o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c == 0) {
            c = Long.compareUnsigned(w1, o.w1);
        }
        if (c == 0) {
            c = Long.compareUnsigned(w2, o.w2);
        }
        if (c == 0) {
            c = Long.compareUnsigned(w3, o.w3);
        }
        return c;
    }

    @Override
    public String toString() {
        return hex();
    }

    private static long word(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static void putWord(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
