package dev.stowage.engine.pack;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;

/**
 * One blob's place inside a pack file.
 *
 * @param length             bytes the encrypted blob occupies in the pack (plaintext or zstd frame + 32)
 * @param uncompressedLength plaintext length if the blob is compressed, 0 if it is stored as is
 */
public record PackedBlob(BlobType type, Id id, long offset, int length, int uncompressedLength) {
    public boolean compressed() {
        return uncompressedLength != 0;
    }

    /** Length of the plaintext. */
    public int plaintextLength() {
        return compressed() ? uncompressedLength : length - 32;
    }
}
