package dev.stowage.engine.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A pending file of an object store: buffered in a local {@link SpoolFile} and uploaded in one go
 * on commit, so nothing exists under the final name until the upload completes. The local copy
 * only has to last until the upload, which fails loudly, so it is not fsynced.
 */
final class UploadedPendingFile implements Backend.PendingFile {
    /** Sends a finished spool file to the store under {@code handle}. */
    @FunctionalInterface
    interface Upload {
        void upload(Handle handle, SpoolFile spool) throws IOException;
    }

    private final SpoolFile spool;
    private final Upload upload;

    private UploadedPendingFile(SpoolFile spool, Upload upload) {
        this.spool = spool;
        this.upload = upload;
    }

    /** A new pending file of {@code type} spooled in {@code tempDir}. */
    static UploadedPendingFile create(Path tempDir, FileType type, Upload upload) throws IOException {
        Files.createDirectories(tempDir);
        return new UploadedPendingFile(new SpoolFile(tempDir.resolve("stowage-" + type.directory() + "-"
                + UUID.randomUUID() + ".tmp")), upload);
    }

    /** {@code parts} as one array (the array itself when there is one part). */
    static byte[] join(List<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int total = 0;
        for (byte[] p : parts) {
            total = Math.addExact(total, p.length);
        }
        byte[] all = new byte[total];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        spool.write(b, off, len);
    }

    @Override
    public long size() {
        return spool.size();
    }

    @Override
    public void commit(Handle handle) throws IOException {
        spool.finish(false);
        try {
            upload.upload(handle, spool);
        } finally {
            spool.discard();
        }
    }

    @Override
    public void close() throws IOException {
        spool.discard();
    }
}
