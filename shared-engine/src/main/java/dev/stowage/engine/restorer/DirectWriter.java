package dev.stowage.engine.restorer;

import dev.stowage.engine.fs.DirectIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes whole aligned blocks of restored files with direct I/O ({@link DirectIo}). Blobs are
 * content-defined chunks, so their edges fall anywhere in a block: the caller writes the parts of
 * a blob before its first and after its last whole block through the page cache, which keeps no
 * state between blobs. Once the file system refuses direct I/O (some cannot do it at all), the
 * writer says so and everything goes through the page cache.
 */
final class DirectWriter {
    private final DirectIo io;
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean refused;

    DirectWriter(DirectIo io) {
        this.io = io;
    }

    long alignUp(long position) {
        return io.alignUp(position);
    }

    long alignDown(long position) {
        return io.alignDown(position);
    }

    /**
     * Writes {@code length} bytes of {@code src} at {@code position} of {@code file} (creating it),
     * both multiples of the alignment. Returns {@code false}, having perhaps written part of it,
     * if direct I/O is refused here; the caller then writes the range again through the page cache.
     */
    boolean write(Path file, byte[] src, int from, int length, long position) {
        if (refused) {
            return false;
        }
        ByteBuffer buf = io.take();
        try (FileChannel ch = io.openForWrite(file)) {
            for (int done = 0; done < length; ) {
                int n = Math.min(DirectIo.BUFFER, length - done);
                buf.clear();
                buf.put(src, from + done, n).flip();
                // a short direct write would leave the rest unaligned: rather go through the page cache
                if (ch.write(buf, position + done) != n) {
                    refused = true;
                    return false;
                }
                done += n;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // EINVAL from open or write: this file system (or its alignment) does not take direct I/O
            refused = true;
            return false;
        } finally {
            io.give(buf);
        }
        bytes.addAndGet(length);
        return true;
    }

    /** Bytes written with direct I/O so far. */
    long bytes() {
        return bytes.get();
    }
}
