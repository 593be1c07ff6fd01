package dev.stowage.engine.backend;

import dev.stowage.engine.fs.DirectIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local file a pending repository file is written to before it is committed. Writes are
 * sliced to 1 MiB: the JDK stages heap buffers in a cached per-thread direct buffer as large as
 * the write. With {@link DirectIo}, whole megabytes go to disk past the page cache, gathered in
 * an aligned native buffer, and only the last partial one through the cache; if the file system
 * refuses direct I/O, the file is written through the cache from there on. Not thread-safe.
 */
final class SpoolFile implements AutoCloseable {
    private static final int IO_SLICE = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final DirectIo direct;
    private FileChannel directChannel;
    private ByteBuffer staging;
    /** Bytes of the file that are in {@link #channel} or on disk; the rest is in {@link #staging}. */
    private long written;
    private long size;
    private boolean open = true;

    /** Creates {@code path}, which must not exist yet, written through the page cache. */
    SpoolFile(Path path) throws IOException {
        this(path, null);
    }

    /** Creates {@code path}, which must not exist yet, written with {@code direct} unless null. */
    SpoolFile(Path path, DirectIo direct) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.direct = direct;
        if (direct != null) {
            try {
                directChannel = direct.openForWrite(path);
                staging = direct.take();
            } catch (IOException | UnsupportedOperationException e) {
                directChannel = null; // this file system does not take direct I/O
            }
        }
    }

    void write(byte[] b, int off, int len) throws IOException {
        size += len;
        int end = off + len;
        while (directChannel != null && off < end) {
            int n = Math.min(staging.remaining(), end - off);
            staging.put(b, off, n);
            off += n;
            if (!staging.hasRemaining()) {
                flushStaging();
            }
        }
        while (off < end) {
            int n = channel.write(ByteBuffer.wrap(b, off, Math.min(IO_SLICE, end - off)), written);
            off += n;
            written += n;
        }
    }

    /** Writes the full staging buffer with direct I/O, or through the cache if that is refused. */
    private void flushStaging() throws IOException {
        staging.flip();
        try {
            while (staging.hasRemaining()) {
                // a short write leaves an unaligned rest, which the JDK refuses: then the cache takes over
                directChannel.write(staging, written + staging.position());
            }
        } catch (IOException e) {
            writeStagedThroughCache(); // all of it again: direct writes of a part changed nothing else
            stopDirect();
            return;
        }
        written += staging.limit();
        staging.clear();
    }

    private void writeStagedThroughCache() throws IOException {
        staging.position(0);
        while (staging.hasRemaining()) {
            channel.write(staging, written + staging.position());
        }
        written += staging.limit();
    }

    /** Closes the direct channel and gives the staging buffer back; later writes go through the cache. */
    private void stopDirect() throws IOException {
        if (directChannel != null) {
            FileChannel ch = directChannel;
            directChannel = null;
            direct.give(staging);
            staging = null;
            ch.close();
        }
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    /** Makes the content durable and closes the file; it stays on disk. */
    void finish(boolean fsync) throws IOException {
        if (directChannel != null) {
            // the last partial megabyte cannot go direct: its length is not aligned
            staging.flip();
            writeStagedThroughCache();
            stopDirect();
        }
        if (fsync) {
            channel.force(true);
        }
        channel.close();
        open = false;
    }

    /** Closes the file if still open and deletes it. */
    void discard() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
        if (open) {
            try {
                stopDirect();
            } finally {
                channel.close();
                open = false;
            }
        }
    }
}
