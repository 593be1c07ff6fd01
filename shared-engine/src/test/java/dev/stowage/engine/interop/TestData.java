package dev.stowage.engine.interop;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test content: incompressible, compressible, and mixed. */
final class TestData {
    private TestData() {
    }

    /** Incompressible bytes from a seeded generator. */
    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Text that compresses well but is not one repeated block, so chunk boundaries vary. */
    static byte[] text(int size) {
        byte[] out = new byte[size];
        int pos = 0;
        for (long line = 0; pos < size; line++) {
            byte[] l = ("INSERT INTO t VALUES (" + line + ", 'row " + (line * 7919 % 100_003) + "', 'interop');\n")
                    .getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(l.length, size - pos);
            System.arraycopy(l, 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    /** {@code randomBytes} random bytes, then {@code zeros} zero bytes, then {@code textBytes} of text. */
    static byte[] mixed(long seed, int randomBytes, int zeros, int textBytes) {
        byte[] out = new byte[randomBytes + zeros + textBytes];
        System.arraycopy(random(seed, randomBytes), 0, out, 0, randomBytes);
        System.arraycopy(text(textBytes), 0, out, randomBytes + zeros, textBytes);
        return out;
    }
}
