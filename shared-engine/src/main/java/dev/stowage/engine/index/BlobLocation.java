package dev.stowage.engine.index;

import dev.stowage.engine.Id;
import dev.stowage.engine.pack.PackedBlob;

/** Where a blob is stored: its pack and its place in the pack. */
public record BlobLocation(Id packId, PackedBlob blob) {
}
