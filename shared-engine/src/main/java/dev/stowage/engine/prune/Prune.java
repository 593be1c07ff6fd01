package dev.stowage.engine.prune;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.NotFoundException;
import dev.stowage.engine.backend.TempFile;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.index.IndexFile;
import dev.stowage.engine.index.PackEntry;
import dev.stowage.engine.pack.PackFormat;
import dev.stowage.engine.pack.PackedBlob;
import dev.stowage.engine.repository.BlobSaver;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * restic 0.14's {@code prune}, implemented from its documented behaviour. The caller holds an
 * exclusive lock. Steps:
 *
 * <ol>
 *   <li>Read every index file and every snapshot; collect the used blobs (every tree reachable from
 *       a snapshot and the data blobs of their files). A used blob missing from the index aborts
 *       before anything is changed ("index is not complete").</li>
 *   <li>Resolve duplicates: one copy of each used blob stays used, preferring a pack with more
 *       other used blobs; the other copies count as unused.</li>
 *   <li>Classify packs: not in any index → delete (unreferenced); no used blobs → delete; all blobs
 *       used (one blob type, nothing to compress) → keep, or a "small" candidate below the small
 *       threshold; otherwise → repack candidate. A pack with used blobs that is missing or whose
 *       size differs from what its index entry implies aborts prune.</li>
 *   <li>Choose repacks: tree and mixed packs first, then packs below the small threshold, then by
 *       unused/used ratio. Tree, mixed and must-compress packs are always repacked; data packs
 *       until the unused data left is below {@code --max-unused} (and the pack is not small);
 *       nothing beyond {@code --max-repack-size}. Small fully used packs are repacked only if
 *       there are at least 10 of them, or with {@code --repack-small}.</li>
 *   <li>Execute (not in a dry run): delete unreferenced packs; copy the needed blobs of repacked
 *       packs into new packs (decrypt, verify, recompress per repository version, re-encrypt) and
 *       flush them with their index; write a fresh set of index files for all remaining packs;
 *       delete the old index files; only then delete the repacked and unused packs.</li>
 *   <li>Remove temporary files interrupted writes left behind (a killed backup's unfinished pack,
 *       restic's {@code <name>-tmp-<n>} files), if they have not been modified for
 *       {@link #TEMP_FILE_MIN_AGE}. The exclusive lock alone already means no live writer owns
 *       them: every writer holds a lock, and ours could only be taken because none was live. The
 *       age is a second guard for what the lock cannot see — a process that is just now writing
 *       its lock file (a {@code locks/…-tmp-…} file for a moment), a writer suspended while its
 *       lock went stale, a clock far off — at the cost of keeping fresh debris until the next prune.
 *       A writer that is alive keeps its file's modification time recent, and a lock that was not
 *       refreshed for as long counts as stale anyway.</li>
 * </ol>
 *
 * The small threshold is 1/25 of the target pack size (80% with {@code --repack-small}), as in
 * restic 0.14. Afterwards the repository's in-memory index still lists the deleted packs: reopen
 * the repository to use it further.
 */
public final class Prune {
    /** Blobs per new index file (restic's convention). */
    static final int INDEX_MAX_BLOBS = 50_000;
    /** Fully used small packs are only worth repacking when there are this many. */
    static final int MIN_SMALL_PACKS = 10;
    /** Temporary files are removed once unmodified this long: the age at which a lock counts as stale. */
    public static final Duration TEMP_FILE_MIN_AGE = Duration.ofMinutes(30);

    private final Repository repo;
    private final Consumer<String> progress;
    private final Clock clock;

    public Prune(Repository repo, Consumer<String> progress) {
        this(repo, progress, Clock.systemUTC());
    }

    /** With the clock that temporary files' ages are measured by. */
    public Prune(Repository repo, Consumer<String> progress, Clock clock) {
        this.repo = repo;
        this.progress = progress;
        this.clock = clock;
    }

    private record BlobKey(BlobType type, Id id) {
    }

    private enum Action { KEEP, REPACK, DELETE }

    private static final class PackInfo {
        final Id id;
        final List<PackedBlob> blobs = new ArrayList<>();
        final Set<Long> offsets = new HashSet<>();
        final List<PackedBlob> needed = new ArrayList<>();
        long size;
        long usedSize;
        long unusedSize;
        int usedBlobs;
        int unusedBlobs;
        int uniqueUsed;
        boolean hasData;
        boolean hasTree;
        boolean uncompressed;
        boolean missing;
        Action action = Action.KEEP;

        PackInfo(Id id) {
            this.id = id;
        }

        boolean mixed() {
            return hasData && hasTree;
        }

        boolean dataOnly() {
            return hasData && !hasTree;
        }
    }

    /** Plans and (unless a dry run) performs the prune. */
    public PruneStats run(PruneOptions options) throws IOException {
        return run(options, planned -> { });
    }

    /**
     * Plans and (unless a dry run) performs the prune; {@code planned} receives the plan's
     * statistics before anything is changed.
     */
    public PruneStats run(PruneOptions options, Consumer<PruneStats> planned) throws IOException {
        progress.accept("loading indexes...");
        List<Id> oldIndexFiles = repo.listIds(FileType.INDEX);
        Map<Id, PackInfo> packs = new LinkedHashMap<>();
        for (Id indexId : oldIndexFiles) {
            for (PackEntry e : IndexFile.decode(repo.loadUnpacked(FileType.INDEX, indexId), indexId.hex())) {
                repo.index().add(e);
                PackInfo p = packs.computeIfAbsent(e.packId(), PackInfo::new);
                for (PackedBlob b : e.blobs()) {
                    // a pack listed by several index files: merge its entries
                    if (p.offsets.add(b.offset())) {
                        p.blobs.add(b);
                    }
                }
            }
        }

        progress.accept("loading all snapshots...");
        List<Snapshot> snapshots = Snapshots.loadAll(repo);
        progress.accept("finding data that is still in use for " + snapshots.size() + " snapshots");
        Set<BlobKey> used = usedBlobs(snapshots);

        progress.accept("searching used packs...");
        Map<BlobKey, Integer> copies = new HashMap<>();
        for (PackInfo p : packs.values()) {
            for (PackedBlob b : p.blobs) {
                BlobKey k = new BlobKey(b.type(), b.id());
                if (used.contains(k)) {
                    copies.merge(k, 1, Integer::sum);
                }
            }
        }
        List<BlobKey> missing = used.stream().filter(k -> !copies.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw incomplete(missing);
        }
        for (PackInfo p : packs.values()) {
            for (PackedBlob b : p.blobs) {
                Integer c = copies.get(new BlobKey(b.type(), b.id()));
                if (c != null && c == 1) {
                    p.uniqueUsed++;
                }
            }
        }
        // one copy of each used blob: the one in the pack with the most other used blobs
        Map<BlobKey, PackInfo> keeper = new HashMap<>();
        for (PackInfo p : packs.values()) {
            for (PackedBlob b : p.blobs) {
                BlobKey k = new BlobKey(b.type(), b.id());
                if (used.contains(k)) {
                    PackInfo current = keeper.get(k);
                    if (current == null || p.uniqueUsed > current.uniqueUsed) {
                        keeper.put(k, p);
                    }
                }
            }
        }

        long usedBlobs = 0, usedBytes = 0, dupBlobs = 0, dupBytes = 0, unusedBlobs = 0, unusedBytes = 0;
        Set<BlobKey> counted = new HashSet<>();
        for (PackInfo p : packs.values()) {
            p.size = PackFormat.packSize(p.blobs);
            for (PackedBlob b : p.blobs) {
                BlobKey k = new BlobKey(b.type(), b.id());
                if (b.type() == BlobType.DATA) {
                    p.hasData = true;
                } else {
                    p.hasTree = true;
                }
                if (!b.compressed()) {
                    p.uncompressed = true;
                }
                if (keeper.get(k) == p && counted.add(k)) {
                    p.usedBlobs++;
                    p.usedSize += b.length();
                    p.needed.add(b);
                    usedBlobs++;
                    usedBytes += b.length();
                } else {
                    p.unusedBlobs++;
                    p.unusedSize += b.length();
                    if (used.contains(k)) {
                        dupBlobs++;
                        dupBytes += b.length();
                    } else {
                        unusedBlobs++;
                        unusedBytes += b.length();
                    }
                }
            }
        }

        progress.accept("collecting packs for deletion and repacking");
        Map<Id, Long> stored = new HashMap<>();
        for (String name : repo.backend().list(FileType.PACK)) {
            stored.put(Id.parse(name), null);
        }
        List<Id> unreferenced = new ArrayList<>();
        long unreferencedBytes = 0;
        for (Id id : stored.keySet()) {
            if (!packs.containsKey(id)) {
                unreferenced.add(id);
                unreferencedBytes += sizeOrZero(id);
            }
        }
        unreferenced.sort(Comparator.naturalOrder());
        Instant cutoff = clock.instant().minus(TEMP_FILE_MIN_AGE);
        List<TempFile> debris = repo.backend().listTemporary().stream().filter(t -> t.modified().isBefore(cutoff)).toList();
        long debrisBytes = debris.stream().mapToLong(TempFile::size).sum();

        boolean v2 = repo.config().version() >= 2;
        long target = repo.options().packSize();
        long smallThreshold = options.repackSmall() ? target * 4 / 5 : target / 25;
        List<PackInfo> candidates = new ArrayList<>();
        List<PackInfo> small = new ArrayList<>();
        long totallyUsed = 0, partlyUsed = 0, unusedPacks = 0;
        for (PackInfo p : packs.values()) {
            p.missing = !stored.containsKey(p.id);
            if (p.usedBlobs == 0) {
                unusedPacks++;
            } else if (p.unusedBlobs == 0) {
                totallyUsed++;
            } else {
                partlyUsed++;
            }
            if (p.usedBlobs == 0) {
                p.action = Action.DELETE;
                continue;
            }
            if (p.missing) {
                throw new StowageException("pack " + p.id + " holds used blobs but is missing from the repository:"
                        + " the index does not match the packs; nothing was deleted");
            }
            long actual = repo.backend().size(packHandle(p.id));
            if (actual != p.size) {
                throw new StowageException("pack " + p.id + " has size " + actual + " but its index entry implies "
                        + p.size + ": the index does not match the packs; nothing was deleted");
            }
            boolean mustCompress = v2 && p.uncompressed && (!p.hasData || options.repackUncompressed());
            if (options.repackCacheableOnly() && p.hasData) {
                continue;
            }
            if (p.unusedBlobs == 0 && !p.mixed() && !mustCompress) {
                if (p.size < smallThreshold) {
                    small.add(p);
                }
                continue;
            }
            candidates.add(p);
        }
        if (small.size() >= MIN_SMALL_PACKS || (options.repackSmall() && small.size() > 1)) {
            candidates.addAll(small);
        }
        candidates.sort(Comparator
                .comparing((PackInfo p) -> p.dataOnly() ? 1 : 0)
                .thenComparing(p -> p.size < smallThreshold ? 0 : 1)
                .thenComparing(p -> -(double) p.unusedSize / Math.max(1, p.usedSize)));

        long unusedAfter = 0;
        for (PackInfo p : packs.values()) {
            if (p.action != Action.DELETE) {
                unusedAfter += p.unusedSize;
            }
        }
        long maxUnusedAfter = options.maxUnused().limit(usedBytes);
        long repackSize = 0;
        for (PackInfo p : candidates) {
            boolean reachedRepackSize = repackSize + p.size > options.maxRepackBytes();
            boolean mustRepack = !p.dataOnly() || (v2 && p.uncompressed && (!p.hasData || options.repackUncompressed()));
            boolean reachedUnused = unusedAfter < maxUnusedAfter;
            if (reachedRepackSize) {
                continue;
            }
            if (!mustRepack && reachedUnused && p.size >= smallThreshold) {
                continue;
            }
            p.action = Action.REPACK;
            repackSize += p.size;
            unusedAfter -= p.unusedSize;
        }

        long repackBlobs = 0, repackBytes = 0, repackRemovedBlobs = 0, repackRemovedBytes = 0;
        long deleteBlobs = 0, deleteBytes = 0, keep = 0, repack = 0, delete = 0;
        for (PackInfo p : packs.values()) {
            switch (p.action) {
                case KEEP -> keep++;
                case REPACK -> {
                    repack++;
                    repackBlobs += p.blobs.size();
                    repackBytes += p.usedSize + p.unusedSize;
                    repackRemovedBlobs += p.unusedBlobs;
                    repackRemovedBytes += p.unusedSize;
                }
                case DELETE -> {
                    if (!p.missing) {
                        delete++;
                    }
                    deleteBlobs += p.blobs.size();
                    deleteBytes += p.unusedSize;
                }
            }
        }

        long newPacks = 0, indexRemoved = 0, indexWritten = 0;
        planned.accept(new PruneStats(usedBlobs, usedBytes, dupBlobs, dupBytes, unusedBlobs, unusedBytes,
                repackBlobs, repackBytes, repackRemovedBlobs, repackRemovedBytes, deleteBlobs, deleteBytes,
                unreferenced.size(), unreferencedBytes, totallyUsed, partlyUsed, unusedPacks,
                keep, repack, delete, 0, 0, 0, debris.size(), debrisBytes));
        if (!options.dryRun()) {
            if (!unreferenced.isEmpty()) {
                progress.accept("deleting unreferenced packs");
                for (Id id : unreferenced) {
                    remove(packHandle(id));
                }
            }
            boolean changeIndex = repack > 0 || packs.values().stream().anyMatch(p -> p.action == Action.DELETE);
            if (changeIndex) {
                List<PackEntry> remaining = new ArrayList<>();
                if (repack > 0) {
                    progress.accept("repacking packs");
                    List<PackEntry> written = repackPacks(packs.values());
                    newPacks = written.size();
                    remaining.addAll(written);
                }
                for (PackInfo p : packs.values()) {
                    if (p.action == Action.KEEP) {
                        remaining.add(new PackEntry(p.id, p.blobs));
                    }
                }
                progress.accept("rebuilding index");
                List<Id> obsolete = repo.listIds(FileType.INDEX);
                indexWritten = writeIndex(remaining);
                progress.accept("deleting obsolete index files");
                for (Id id : obsolete) {
                    remove(new Handle(FileType.INDEX, id.hex()));
                }
                indexRemoved = obsolete.size();
                List<Id> doomed = packs.values().stream()
                        .filter(p -> p.action != Action.KEEP && !p.missing).map(p -> p.id).toList();
                if (!doomed.isEmpty()) {
                    progress.accept("removing " + doomed.size() + " old packs");
                    for (Id id : doomed) {
                        remove(packHandle(id));
                    }
                }
            }
            if (!debris.isEmpty()) {
                // last: the real work above does not depend on it
                progress.accept("removing " + debris.size() + " leftover temporary files");
                for (TempFile t : debris) {
                    repo.backend().removeTemporary(t);
                }
            }
            progress.accept("done");
        }
        return new PruneStats(usedBlobs, usedBytes, dupBlobs, dupBytes, unusedBlobs, unusedBytes,
                repackBlobs, repackBytes, repackRemovedBlobs, repackRemovedBytes, deleteBlobs, deleteBytes,
                unreferenced.size(), unreferencedBytes, totallyUsed, partlyUsed, unusedPacks,
                keep, repack, delete, newPacks, indexRemoved, indexWritten, debris.size(), debrisBytes);
    }

    private Set<BlobKey> usedBlobs(List<Snapshot> snapshots) throws IOException {
        Set<BlobKey> used = new HashSet<>();
        List<BlobKey> missing = new ArrayList<>();
        Deque<Id> queue = new ArrayDeque<>();
        for (Snapshot s : snapshots) {
            queue.add(s.tree());
        }
        while (!queue.isEmpty()) {
            Id tree = queue.poll();
            BlobKey tk = new BlobKey(BlobType.TREE, tree);
            if (!used.add(tk)) {
                continue;
            }
            BlobLocation loc = repo.index().lookup(BlobType.TREE, tree);
            if (loc == null) {
                missing.add(tk);
                continue;
            }
            for (Node n : TreeCodec.decode(repo.loadBlob(BlobType.TREE, tree), tree.shortHex())) {
                if (n.content() != null) {
                    for (Id d : n.content()) {
                        used.add(new BlobKey(BlobType.DATA, d));
                    }
                }
                if (n.type() == NodeType.DIR && n.subtree() != null) {
                    queue.add(n.subtree());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw incomplete(missing);
        }
        return used;
    }

    private static StowageException incomplete(List<BlobKey> missing) {
        BlobKey first = missing.get(0);
        return new StowageException("index is not complete: " + missing.size() + " used blob"
                + (missing.size() == 1 ? " is" : "s are") + " missing from the index (e.g. " + first.type().jsonName()
                + " blob " + first.id() + "); prune refuses to run and nothing was deleted");
    }

    /** Copies the needed blobs of the packs to repack into new packs and indexes them. */
    private List<PackEntry> repackPacks(Iterable<PackInfo> packs) throws IOException {
        try (BlobSaver saver = repo.newBlobSaver()) {
            for (PackInfo p : packs) {
                if (p.action != Action.REPACK) {
                    continue;
                }
                Handle h = packHandle(p.id);
                byte[] pack = repo.backend().load(h);
                for (PackedBlob b : p.needed) {
                    byte[] plain = repo.openBlobInPlace(pack, (int) b.offset(), new BlobLocation(p.id, b), h.path());
                    saver.copy(b.type(), b.id(), plain);
                }
            }
            saver.flush();
            return saver.writtenPacks();
        }
    }

    private int writeIndex(List<PackEntry> packs) throws IOException {
        int files = 0;
        List<PackEntry> batch = new ArrayList<>();
        int blobs = 0;
        for (PackEntry p : packs) {
            batch.add(p);
            blobs += p.blobs().size();
            if (blobs >= INDEX_MAX_BLOBS) {
                repo.saveUnpacked(FileType.INDEX, IndexFile.encode(batch));
                files++;
                batch.clear();
                blobs = 0;
            }
        }
        if (!batch.isEmpty()) {
            repo.saveUnpacked(FileType.INDEX, IndexFile.encode(batch));
            files++;
        }
        return files;
    }

    private long sizeOrZero(Id id) throws IOException {
        try {
            return repo.backend().size(packHandle(id));
        } catch (NotFoundException e) {
            return 0;
        }
    }

    private void remove(Handle h) throws IOException {
        try {
            repo.backend().remove(h);
        } catch (NotFoundException e) {
            // already gone
        }
    }

    private static Handle packHandle(Id id) {
        return new Handle(FileType.PACK, id.hex());
    }
}
