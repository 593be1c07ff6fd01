package dev.stowage.engine.pack;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.crypto.CryptoKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Accumulates encrypted blobs into one pack file in memory. Not thread-safe. */
public final class PackWriter {
    private final List<PackedBlob> blobs = new ArrayList<>();
    private byte[] buf;
    private int len;

    public PackWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    /**
     * Appends an already encrypted blob.
     *
     * @param uncompressedLength plaintext length if {@code sealed} holds a zstd frame, else 0
     */
    public void add(BlobType type, Id id, byte[] sealed, int uncompressedLength) {
        if (len + sealed.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + sealed.length));
        }
        System.arraycopy(sealed, 0, buf, len, sealed.length);
        blobs.add(new PackedBlob(type, id, len, sealed.length, uncompressedLength));
        len += sealed.length;
    }

    /** Bytes of blob data so far. */
    public int size() {
        return len;
    }

    public boolean isEmpty() {
        return blobs.isEmpty();
    }

    public int count() {
        return blobs.size();
    }

    /** Appends the encrypted header and its length; the writer must not be used afterwards. */
    public FinishedPack finish(CryptoKey key) {
        byte[] header = key.seal(PackFormat.encodeHeader(blobs));
        byte[] out = Arrays.copyOf(buf, len + header.length + 4);
        buf = null;
        System.arraycopy(header, 0, out, len, header.length);
        PackFormat.putInt(out, len + header.length, header.length);
        return new FinishedPack(Id.hash(out), out, List.copyOf(blobs));
    }

    /** A complete pack file: its storage ID, bytes and blobs. */
    public record FinishedPack(Id id, byte[] bytes, List<PackedBlob> blobs) {
    }
}
