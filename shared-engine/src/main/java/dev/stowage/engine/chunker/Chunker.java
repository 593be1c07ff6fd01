package dev.stowage.engine.chunker;

import dev.stowage.engine.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Splits one stream into content-defined chunks bit-identical to restic/chunker (min size
 * 512 KiB, max size 8 MiB, split mask 2^20-1, 64-byte window). Not thread-safe; use one per file.
 *
 * <p>Memory: an internal buffer that grows with the data up to {@link #MAX_SIZE}, plus the
 * returned chunks; both come from the {@link BufferPool}, and {@link #close()} gives the buffer
 * back.
 */
public final class Chunker implements AutoCloseable {
    /** Smallest chunk, except for the last chunk of a stream. */
    public static final int MIN_SIZE = 512 * 1024;
    /** Largest chunk. */
    public static final int MAX_SIZE = 8 * 1024 * 1024;

    private static final int WINDOW = ChunkerTables.WINDOW_SIZE;
    private static final int SHIFT = ChunkerTables.SHIFT;
    private static final long SPLIT_MASK = (1L << 20) - 1;
    /** Digest after restic's per-chunk reset, which slides a single 0x01 byte into the empty window. */
    private static final long RESET_DIGEST = 1;
    /** Small first buffer so that many small files don't each allocate 8 MiB. */
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final long[] outTable;
    private final long[] modTable;
    private final InputStream in;
    private final BufferPool pool;

    /** Holds the current chunk from {@code start}; bytes [start, end) have been read. */
    private byte[] buf;
    private int start;
    /** Next byte to examine; [start, pos) are already part of the current chunk. */
    private int pos;
    private int end;
    private long digest = RESET_DIGEST;
    private boolean eof;

    /**
     * @param tables tables of the repository's polynomial
     * @param in the data to split; read in bulk, never closed by the chunker
     * @param pool where the chunker's buffer and the chunks' arrays come from
     */
    public Chunker(ChunkerTables tables, InputStream in, BufferPool pool) {
        this.outTable = Objects.requireNonNull(tables, "tables").out;
        this.modTable = tables.mod;
        this.in = Objects.requireNonNull(in, "in");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.buf = pool.take(INITIAL_BUFFER);
    }

    /**
     * Next chunk, in an array from the pool, or null at the end of the stream. An empty stream
     * yields no chunk.
     *
     * @throws IOException if reading the stream fails
     */
    public Chunk next() throws IOException {
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    eof = true;
                    return start == end ? null : cut(end);
                }
            }
            int at = scan();
            if (at >= 0) {
                return cut(at);
            }
        }
    }

    /**
     * Hashes the bytes in [pos, end) of the current chunk; returns the cut position or -1 if
     * more data is needed.
     */
    private int scan() {
        final byte[] b = buf;
        final int chunkStart = start;
        final int limit = end;
        int i = pos;

        // The first MIN_SIZE - WINDOW bytes of a chunk are never hashed (restic skips them).
        int hashFrom = chunkStart + MIN_SIZE - WINDOW;
        if (i < hashFrom) {
            i = Math.min(hashFrom, limit);
            if (i == limit) {
                pos = i;
                return -1;
            }
        }

        final long[] outT = outTable;
        final long[] modT = modTable;
        long d = digest;

        // Warm-up: the bytes leaving the window are still the zeros of the reset, and out[0] = 0.
        int warmEnd = Math.min(chunkStart + MIN_SIZE - 1, limit);
        for (; i < warmEnd; i++) {
            d = ((d << 8) | (b[i] & 0xff)) ^ modT[(int) (d >>> SHIFT)];
        }
        // Byte MIN_SIZE-1 pushes out the 0x01 of the reset; it is the first possible cut point.
        if (i == chunkStart + MIN_SIZE - 1 && i < limit) {
            d ^= outT[1];
            d = ((d << 8) | (b[i] & 0xff)) ^ modT[(int) (d >>> SHIFT)];
            i++;
            if ((d & SPLIT_MASK) == 0) {
                return i;
            }
        }
        // Steady state: the window is exactly the previous 64 bytes of the chunk.
        int stop = Math.min(limit, chunkStart + MAX_SIZE);
        if (i < stop) {
            // e = digest with the outgoing byte of step i already removed; computing it for the
            // next step while the mod-table load is in flight shortens the dependency chain
            long e = d ^ outT[b[i - WINDOW] & 0xff];
            for (int last = stop - 1; i < last; i++) {
                long shifted = (e << 8) | (b[i] & 0xff);
                long reduce = modT[(int) (e >>> SHIFT)];
                if (((shifted ^ reduce) & SPLIT_MASK) == 0) {
                    return i + 1;
                }
                e = (shifted ^ outT[b[i + 1 - WINDOW] & 0xff]) ^ reduce;
            }
            d = ((e << 8) | (b[i] & 0xff)) ^ modT[(int) (e >>> SHIFT)];
            i++;
            if ((d & SPLIT_MASK) == 0) {
                return i;
            }
        }
        pos = i;
        digest = d;
        return i == chunkStart + MAX_SIZE ? i : -1;
    }

    private Chunk cut(int at) {
        byte[] chunk = pool.take(at - start);
        System.arraycopy(buf, start, chunk, 0, at - start);
        Chunk c = new Chunk(chunk, at - start);
        start = at;
        pos = at;
        digest = RESET_DIGEST;
        return c;
    }

    /** Gives the buffer back to the pool; chunks already returned stay valid. */
    @Override
    public void close() {
        if (buf != null) {
            pool.give(buf);
            buf = null;
        }
    }

    /** Reads more input after {@code end}; false at end of stream. */
    private boolean fill() throws IOException {
        if (end == buf.length) {
            makeRoom();
        }
        int n;
        do {
            n = in.read(buf, end, buf.length - end);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** Moves the current chunk to the front of the buffer, growing the buffer while it is small. */
    private void makeRoom() {
        int live = end - start;
        byte[] target = buf;
        // a chunk never exceeds MAX_SIZE, so a MAX_SIZE buffer always has room after compaction
        if (buf.length < MAX_SIZE && live > buf.length / 2) {
            target = pool.take(Math.min(buf.length * 2, MAX_SIZE));
        }
        System.arraycopy(buf, start, target, 0, live);
        if (target != buf) {
            pool.give(buf);
        }
        buf = target;
        pos -= start;
        end = live;
        start = 0;
    }
}
