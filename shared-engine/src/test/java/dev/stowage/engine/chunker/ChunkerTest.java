package dev.stowage.engine.chunker;

import dev.stowage.engine.BufferPool;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ChunkerTables TEST_TABLES = ChunkerTables.of(new Polynomial(0x3DA3358B4DC173L));
    private static final String ZERO_CHUNK_ID = "07854d2fef297a06ba81685e660c332de36d5d18d546927d30daad6d7fda1541";

    /** One chunk as (offset, length, sha256), the columns of chunker-golden-testpol.txt. */
    private record Cut(long offset, int length, String sha256) {
    }

    /** Golden vector G1 (CHUNKER-README.txt): 8 MiB of hashes, 2 MiB of 0x00, 10 MiB of 0x01. */
    private static byte[] g1Input() throws NoSuchAlgorithmException {
        byte[] data = new byte[20 * 1024 * 1024];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] le = new byte[8];
        for (int i = 0; i < 262_144; i++) {
            for (int j = 0; j < 8; j++) {
                le[j] = (byte) ((long) i >>> (8 * j));
            }
            System.arraycopy(sha.digest(le), 0, data, i * 32, 32);
        }
        Arrays.fill(data, 10 * 1024 * 1024, data.length, (byte) 1);
        return data;
    }

    private static List<Cut> g1Expected() throws IOException {
        Path file = SharedData.dir().resolve("restic-golden/chunker-golden-testpol.txt");
        assertTrue(Files.isRegularFile(file), "golden data missing: " + file);
        List<Cut> cuts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (!line.isBlank()) {
                String[] f = line.trim().split("\\s+");
                cuts.add(new Cut(Long.parseLong(f[0]), Integer.parseInt(f[1]), f[2]));
            }
        }
        return cuts;
    }

    private static List<Cut> chunkAll(ChunkerTables tables, InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        // arrays go back to the pool at once, so later chunks reuse them with stale bytes behind
        BufferPool pool = new BufferPool(64 << 20);
        List<Cut> cuts = new ArrayList<>();
        long offset = 0;
        try (Chunker chunker = new Chunker(tables, in, pool)) {
            for (Chunk chunk = chunker.next(); chunk != null; chunk = chunker.next()) {
                sha.update(chunk.data(), 0, chunk.length());
                cuts.add(new Cut(offset, chunk.length(), HEX.formatHex(sha.digest())));
                offset += chunk.length();
                pool.give(chunk.data());
            }
            assertNull(chunker.next(), "end of stream must stay the end");
        }
        return cuts;
    }

    @Test
    void goldenVectorG1MatchesRestic() throws Exception {
        byte[] input = g1Input();
        assertEquals("ea0c279f5454c9eddefda39e5055e7642899faea76cdcd820e68e34a0a120aaa",
                HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(input)));
        List<Cut> expected = g1Expected();
        assertEquals(12, expected.size());
        assertEquals(expected, chunkAll(TEST_TABLES, new ByteArrayInputStream(input)));
    }

    @Test
    void goldenVectorG1WithTinyReads() throws Exception {
        assertEquals(g1Expected(), chunkAll(TEST_TABLES, new TinyReads(g1Input(), 1)));
    }

    @Test
    void emptyStreamYieldsNoChunk() throws IOException {
        Chunker chunker = new Chunker(TEST_TABLES, new ByteArrayInputStream(new byte[0]), new BufferPool(0));
        assertNull(chunker.next());
        assertNull(chunker.next());
    }

    @Test
    void streamShorterThanMinSizeIsOneChunk() throws IOException {
        for (int size : new int[] {1, 1000, 64 * 1024 + 1, Chunker.MIN_SIZE - 1, Chunker.MIN_SIZE}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            Chunker chunker = new Chunker(TEST_TABLES, new ByteArrayInputStream(data), new BufferPool(0));
            Chunk chunk = chunker.next();
            assertArrayEquals(data, Arrays.copyOf(chunk.data(), chunk.length()), "size " + size);
            assertNull(chunker.next());
        }
    }

    @Test
    void zeroRunsAreCutAtMinSize() throws Exception {
        // restic/chunker's "chunks2" case: 64 zero bytes fingerprint to 0
        List<Cut> cuts = chunkAll(TEST_TABLES, new ByteArrayInputStream(new byte[4 * Chunker.MIN_SIZE]));
        assertEquals(4, cuts.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(new Cut((long) i * Chunker.MIN_SIZE, Chunker.MIN_SIZE, ZERO_CHUNK_ID), cuts.get(i));
        }
    }

    @Test
    void matchesStraightforwardReferenceOnRandomData() throws Exception {
        byte[] data = new byte[24 * 1024 * 1024 + 12345];
        new Random(42).nextBytes(data);
        // a long constant run forces a MaxSize cut in the middle
        Arrays.fill(data, 12_000_000, 12_000_000 + Chunker.MAX_SIZE + 100, (byte) 0x5a);
        for (Polynomial p : new Polynomial[] {Polynomial.parse("2d14de679a197f"), new Polynomial(0x3DA3358B4DC173L)}) {
            ChunkerTables tables = ChunkerTables.of(p);
            List<Integer> expected = referenceLengths(p.value(), data);
            assertTrue(expected.size() >= 6, "test data should produce several chunks: " + expected);
            assertTrue(expected.contains(Chunker.MAX_SIZE), "test data should hit MaxSize");
            assertEquals(expected, lengths(chunkAll(tables, new ByteArrayInputStream(data))), p.toHex());
            assertEquals(expected, lengths(chunkAll(tables, new TinyReads(data, 3))), p.toHex());
        }
    }

    @Test
    void chunksConcatenateToTheInput() throws Exception {
        byte[] data = new byte[5 * 1024 * 1024];
        new Random(5).nextBytes(data);
        Chunker chunker = new Chunker(TEST_TABLES, new ByteArrayInputStream(data), new BufferPool(0));
        byte[] joined = new byte[data.length];
        int at = 0;
        for (Chunk chunk = chunker.next(); chunk != null; chunk = chunker.next()) {
            assertTrue(chunk.length() <= Chunker.MAX_SIZE);
            System.arraycopy(chunk.data(), 0, joined, at, chunk.length());
            at += chunk.length();
        }
        assertEquals(data.length, at);
        assertArrayEquals(data, joined);
    }

    @Test
    void tablesRequireDegree53() {
        StowageException ex = assertThrows(StowageException.class, () -> ChunkerTables.of(new Polynomial(0b1011)));
        assertTrue(ex.getMessage().contains("degree 53"), ex.getMessage());
    }

    @Test
    void readErrorsPropagate() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk on fire");
            }
        };
        IOException ex = assertThrows(IOException.class, () -> new Chunker(TEST_TABLES, failing, new BufferPool(0)).next());
        assertEquals("disk on fire", ex.getMessage());
    }

    private static List<Integer> lengths(List<Cut> cuts) {
        return cuts.stream().map(Cut::length).toList();
    }

    /**
     * restic-format.md §8 transcribed literally (explicit window, byte at a time), to check the
     * optimised chunker against.
     */
    private static List<Integer> referenceLengths(long pol, byte[] data) {
        int k = 63 - Long.numberOfLeadingZeros(pol);
        long[] out = new long[256];
        long[] mod = new long[256];
        for (int b = 0; b < 256; b++) {
            long h = appendByte(0, b, pol);
            for (int i = 0; i < 63; i++) {
                h = appendByte(h, 0, pol);
            }
            out[b] = h;
            mod[b] = polyMod((long) b << k, pol) | ((long) b << k);
        }
        List<Integer> result = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            byte[] window = new byte[64];
            int wpos = 0;
            long digest = 0;
            // slide in 0x01
            digest ^= out[window[wpos] & 0xff];
            window[wpos] = 1;
            wpos = 1;
            digest = ((digest << 8) | 1) ^ mod[(int) (digest >>> (k - 8))];
            int len = Math.min(Chunker.MIN_SIZE - 64, data.length - pos);
            boolean cut = false;
            while (pos + len < data.length) {
                int b = data[pos + len] & 0xff;
                int o = window[wpos] & 0xff;
                window[wpos] = (byte) b;
                digest ^= out[o];
                wpos = (wpos + 1) % 64;
                digest = ((digest << 8) | b) ^ mod[(int) (digest >>> (k - 8))];
                len++;
                if (((digest & 0xFFFFF) == 0 || len >= Chunker.MAX_SIZE) && len >= Chunker.MIN_SIZE) {
                    cut = true;
                    break;
                }
            }
            result.add(len);
            pos += len;
            if (!cut) {
                break;
            }
        }
        return result;
    }

    private static long appendByte(long h, int b, long pol) {
        return polyMod((h << 8) | b, pol);
    }

    private static long polyMod(long x, long d) {
        int dd = 63 - Long.numberOfLeadingZeros(d);
        for (int dx = 63 - Long.numberOfLeadingZeros(x); dx >= dd; dx = 63 - Long.numberOfLeadingZeros(x)) {
            x ^= d << (dx - dd);
        }
        return x;
    }

    /** Returns between 1 and maxStep + 6 bytes per read, like a slow pipe. */
    private static final class TinyReads extends InputStream {
        private final byte[] data;
        private final int minStep;
        private int pos;
        private int turn;

        TinyReads(byte[] data, int minStep) {
            this.data = data;
            this.minStep = minStep;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, minStep + turn++ % 7), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
