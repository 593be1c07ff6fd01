package dev.stowage.engine.pack;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.crypto.CryptoKey;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one pack file: encrypted blobs go straight to a pending file in the backend (and into
 * the running SHA-256 that names the pack), so a pack being filled holds no data in memory.
 * Not thread-safe.
 */
public final class PackWriter implements AutoCloseable {
    private final Backend.PendingFile file;
    private final MessageDigest sha = Id.sha256();
    private final List<PackedBlob> blobs = new ArrayList<>();

    public PackWriter(Backend backend) throws IOException {
        this.file = backend.create(FileType.PACK);
    }

    /**
     * Appends an already encrypted blob, {@code sealed[off, off+len)}.
     *
     * @param uncompressedLength plaintext length if {@code sealed} holds a zstd frame, else 0
     */
    public void add(BlobType type, Id id, byte[] sealed, int off, int len, int uncompressedLength) throws IOException {
        blobs.add(new PackedBlob(type, id, file.size(), len, uncompressedLength));
        file.write(sealed, off, len);
        sha.update(sealed, off, len);
    }

    /** Bytes of blob data so far. */
    public long size() {
        return file.size();
    }

    public boolean isEmpty() {
        return blobs.isEmpty();
    }

    /**
     * Appends the encrypted header and its length, makes the pack durable and names it by its
     * hash. The writer must not be used afterwards.
     */
    public Finished finish(CryptoKey key) throws IOException {
        byte[] header = key.seal(PackFormat.encodeHeader(blobs));
        byte[] trailer = new byte[header.length + 4];
        System.arraycopy(header, 0, trailer, 0, header.length);
        PackFormat.putInt(trailer, header.length, header.length);
        file.write(trailer, 0, trailer.length);
        sha.update(trailer);
        Id id = Id.of(sha.digest());
        file.commit(new Handle(FileType.PACK, id.hex()));
        return new Finished(id, List.copyOf(blobs));
    }

    /** Discards the pack unless it was finished. */
    @Override
    public void close() throws IOException {
        file.close();
    }

    /** A stored pack: its storage ID and its blobs. */
    public record Finished(Id id, List<PackedBlob> blobs) {
    }
}
