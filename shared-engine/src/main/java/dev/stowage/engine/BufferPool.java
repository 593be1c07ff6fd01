package dev.stowage.engine;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Byte arrays for chunks, blobs and read buffers, handed out again once given back. A backup or
 * restore passes all its data through new arrays otherwise, and on a small heap the ones still in
 * use at each young collection get copied, and promoted; reused arrays live in the old
 * generation instead. Sizes are powers of two from 4 KiB to 8 MiB (the largest chunk); larger
 * requests get an exact array that is not kept. The pool keeps at most {@code maxRetainedBytes}
 * of arrays, preferring the size given back last, and drops the rest to the garbage collector.
 * Thread-safe.
 */
public final class BufferPool {
    private static final int MIN_SHIFT = 12;
    private static final int MAX_SHIFT = 23;

    private final ConcurrentLinkedDeque<byte[]>[] free;
    private final long maxRetainedBytes;
    private final AtomicLong retainedBytes = new AtomicLong();

    @SuppressWarnings("unchecked")
    public BufferPool(long maxRetainedBytes) {
        this.maxRetainedBytes = maxRetainedBytes;
        this.free = new ConcurrentLinkedDeque[MAX_SHIFT - MIN_SHIFT + 1];
        for (int i = 0; i < free.length; i++) {
            free[i] = new ConcurrentLinkedDeque<>();
        }
    }

    /** An array of at least {@code size} bytes; its contents are undefined. */
    public byte[] take(int size) {
        if (size > 1 << MAX_SHIFT) {
            return new byte[size];
        }
        int shift = shiftFor(size);
        byte[] b = free[shift - MIN_SHIFT].pollFirst();
        if (b == null) {
            return new byte[1 << shift];
        }
        retainedBytes.addAndGet(-b.length);
        return b;
    }

    /**
     * Returns an array from {@link #take}; the caller must not use it afterwards. Arrays of other
     * sizes are left to the garbage collector.
     */
    public void give(byte[] b) {
        int shift = Integer.numberOfTrailingZeros(b.length);
        if (b.length != 1 << shift || shift < MIN_SHIFT || shift > MAX_SHIFT) {
            return;
        }
        long retained = retainedBytes.addAndGet(b.length);
        // Over the limit, arrays of other sizes make room, largest first: the sizes in demand
        // change during a run (a large file's chunks, then many small files' buffers), and a
        // pool full of sizes nobody asks for any more would turn every request into a new array.
        for (int i = free.length - 1; retained > maxRetainedBytes && i >= 0; i--) {
            if (i == shift - MIN_SHIFT) {
                continue;
            }
            byte[] old;
            while (retained > maxRetainedBytes && (old = free[i].pollLast()) != null) {
                retained = retainedBytes.addAndGet(-old.length);
            }
        }
        if (retained > maxRetainedBytes) {
            retainedBytes.addAndGet(-b.length);
            return;
        }
        free[shift - MIN_SHIFT].addFirst(b);
    }

    private static int shiftFor(int size) {
        return Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(size, 1) - 1));
    }
}
