package dev.stowage.engine.index;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.pack.PackedBlob;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** All blobs the repository's index files list, merged. Thread-safe. */
public final class MasterIndex {
    private final Map<Id, BlobLocation> data = new ConcurrentHashMap<>();
    private final Map<Id, BlobLocation> trees = new ConcurrentHashMap<>();
    private final Set<Id> packs = ConcurrentHashMap.newKeySet();

    /** Adds every blob of the pack; a blob already known keeps its first location. */
    public void add(PackEntry pack) {
        packs.add(pack.packId());
        for (PackedBlob b : pack.blobs()) {
            map(b.type()).putIfAbsent(b.id(), new BlobLocation(pack.packId(), b));
        }
    }

    public BlobLocation lookup(BlobType type, Id id) {
        return map(type).get(id);
    }

    public boolean has(BlobType type, Id id) {
        return map(type).containsKey(id);
    }

    public int blobCount(BlobType type) {
        return map(type).size();
    }

    public Collection<BlobLocation> blobs(BlobType type) {
        return map(type).values();
    }

    /** Packs listed by any index file. */
    public Set<Id> packIds() {
        return packs;
    }

    private Map<Id, BlobLocation> map(BlobType type) {
        return type == BlobType.DATA ? data : trees;
    }
}
