package dev.stowage.engine.backend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local file a pending repository file is written to before it is committed. Writes are
 * sliced to 1 MiB: the JDK stages heap buffers in a cached per-thread direct buffer as large as
 * the write. Not thread-safe.
 */
final class SpoolFile implements AutoCloseable {
    private static final int IO_SLICE = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private long size;
    private boolean open = true;

    /** Creates {@code path}, which must not exist yet. */
    SpoolFile(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    void write(byte[] b, int off, int len) throws IOException {
        for (int end = off + len; off < end; ) {
            off += channel.write(ByteBuffer.wrap(b, off, Math.min(IO_SLICE, end - off)));
        }
        size += len;
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    /** Makes the content durable and closes the file; it stays on disk. */
    void finish(boolean fsync) throws IOException {
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
            channel.close();
            open = false;
        }
    }
}
