package dev.stowage.engine.index;

import dev.stowage.engine.Id;
import dev.stowage.engine.pack.PackedBlob;
import java.util.List;

/** A pack and the blobs it holds, as listed in an index file. */
public record PackEntry(Id packId, List<PackedBlob> blobs) {
    public PackEntry {
        blobs = List.copyOf(blobs);
    }
}
