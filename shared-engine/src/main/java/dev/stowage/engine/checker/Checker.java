package dev.stowage.engine.checker;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.LockLostException;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.NotFoundException;
import dev.stowage.engine.backend.TempFile;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.index.IndexFile;
import dev.stowage.engine.index.MasterIndex;
import dev.stowage.engine.index.PackEntry;
import dev.stowage.engine.pack.PackFormat;
import dev.stowage.engine.pack.PackedBlob;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Verifies a repository the way restic 0.14's {@code check} does, collecting every problem instead
 * of stopping at the first: index files, pack existence and sizes, snapshots, every tree reachable
 * from them with restic's node checks, and optionally ({@code --read-data}) every byte of the packs.
 * Does not lock; the caller holds an exclusive lock, as restic does. Uses its own index, so the
 * repository's index need not be loaded.
 */
public final class Checker {
    /** Packs read at the same time by {@code --read-data}; each thread holds one pack in memory. */
    static final int READ_THREADS = 2;

    private final Repository repo;
    private final MasterIndex index = new MasterIndex();
    /** First index entry seen for each pack, and the index files listing it. */
    private final Map<Id, PackEntry> packs = new TreeMap<>();
    private final Map<Id, List<String>> packIndexes = new HashMap<>();
    /** Packs that exist with the size the index implies (or at least exist). */
    private final Set<Id> missingPacks = new HashSet<>();
    private final List<Finding> findings = new ArrayList<>();

    public Checker(Repository repo) {
        this.repo = repo;
    }

    /**
     * Runs the checks.
     *
     * @param readData which packs to read completely, or null for none
     * @param progress told about each step as it starts ("load indexes", …), for the CLI
     */
    public CheckResult check(ReadDataSubset readData, Consumer<String> progress) throws IOException {
        progress.accept("load indexes");
        loadIndexes();
        progress.accept("check all packs");
        checkPacks();
        progress.accept("check snapshots, trees and blobs");
        checkStructure();
        List<Id> read = List.of();
        if (readData != null) {
            Map<Id, Long> sizes = new LinkedHashMap<>();
            for (PackEntry p : packs.values()) {
                sizes.put(p.packId(), PackFormat.packSize(p.blobs()));
            }
            read = readData.select(sizes, new Random());
            progress.accept(readData.describe(read.size(), sizes.size()));
            readPacks(read);
        }
        return new CheckResult(findings, read);
    }

    private static String path(FileType type, Id id) {
        return new Handle(type, id.hex()).path();
    }

    /** A lost lock is not a finding about the repository: the check stops. */
    private static void stopIfLockLost(Exception e) {
        if (e instanceof LockLostException lost) {
            throw lost;
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.toString() : m;
    }

    // ---- index files ----------------------------------------------------------------------

    private void loadIndexes() throws IOException {
        for (Id id : repo.listIds(FileType.INDEX)) {
            String file = path(FileType.INDEX, id);
            List<PackEntry> entries;
            try {
                byte[] json = repo.loadUnpacked(FileType.INDEX, id);
                entries = IndexFile.decode(json, file);
                if (firstNonBlank(json) == '[') {
                    findings.add(Finding.hint(file, "index has the old format (a JSON array)"));
                }
            } catch (IOException | RuntimeException e) {
                stopIfLockLost(e);
                findings.add(Finding.error(file, "the index file cannot be loaded: " + describe(e)));
                continue;
            }
            for (PackEntry p : entries) {
                index.add(p);
                packs.putIfAbsent(p.packId(), p);
                packIndexes.computeIfAbsent(p.packId(), k -> new ArrayList<>()).add(id.shortHex());
            }
        }
        for (Map.Entry<Id, List<String>> e : new TreeMap<>(packIndexes).entrySet()) {
            if (e.getValue().size() > 1) {
                findings.add(Finding.hint(path(FileType.PACK, e.getKey()),
                        "pack is listed in several index files: " + String.join(", ", e.getValue())));
            }
        }
        for (PackEntry p : packs.values()) {
            if (p.blobs().stream().map(PackedBlob::type).distinct().count() > 1) {
                findings.add(Finding.hint(path(FileType.PACK, p.packId()), "pack holds both data and tree blobs"
                        + " (restic's prune repacks such packs)"));
            }
        }
    }

    private static int firstNonBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return x;
            }
        }
        return -1;
    }

    // ---- pack files -----------------------------------------------------------------------

    private void checkPacks() throws IOException {
        Set<Id> stored = new HashSet<>(repo.listIds(FileType.PACK));
        for (PackEntry p : packs.values()) {
            String file = path(FileType.PACK, p.packId());
            if (!stored.contains(p.packId())) {
                missingPacks.add(p.packId());
                findings.add(Finding.error(file, "pack " + file + " does not exist, but the index lists "
                        + p.blobs().size() + " blobs in it"));
                continue;
            }
            long expected = PackFormat.packSize(p.blobs());
            long actual = repo.backend().size(new Handle(FileType.PACK, p.packId().hex()));
            if (actual != expected) {
                findings.add(Finding.error(file, "unexpected file size: the pack has " + actual
                        + " bytes, the index implies " + expected));
            }
        }
        for (Id id : new java.util.TreeSet<>(stored)) {
            if (!packs.containsKey(id)) {
                findings.add(Finding.hint(path(FileType.PACK, id), "pack is not referenced in any index"
                        + " (restic's prune removes it)"));
            }
        }
        // readers skip them, so they are no error, but they waste space
        for (TempFile t : repo.backend().listTemporary()) {
            findings.add(Finding.warning(t.path(), "leftover temporary file of an interrupted write (" + t.size()
                    + " bytes, modified " + GoTime.format(GoTime.local(t.modified()))
                    + "); prune removes such files once unmodified for 30 minutes"));
        }
    }

    // ---- snapshots and trees --------------------------------------------------------------

    private record PendingTree(Id id, String where) {
    }

    private void checkStructure() throws IOException {
        ArrayDeque<PendingTree> queue = new ArrayDeque<>();
        Set<Id> seen = new HashSet<>();
        for (Id id : repo.listIds(FileType.SNAPSHOT)) {
            String file = path(FileType.SNAPSHOT, id);
            Snapshot s;
            try {
                s = Snapshot.parse(id, repo.loadUnpacked(FileType.SNAPSHOT, id));
            } catch (IOException | RuntimeException e) {
                stopIfLockLost(e);
                findings.add(Finding.error(file, "the snapshot cannot be loaded: " + describe(e)));
                continue;
            }
            if (s.tree() == null) {
                findings.add(Finding.error(file, "snapshot has no tree"));
                continue;
            }
            if (seen.add(s.tree())) {
                queue.add(new PendingTree(s.tree(), "snapshot " + id.shortHex() + ":/"));
            }
        }
        while (!queue.isEmpty()) {
            PendingTree t = queue.poll();
            List<Node> nodes = loadTree(t);
            if (nodes == null) {
                continue;
            }
            String file = "tree " + t.id().hex();
            for (Node n : nodes) {
                String name = n.displayName();
                String at = t.where().endsWith("/") ? t.where() + name : t.where() + "/" + name;
                if (n.name().length == 0) {
                    findings.add(Finding.error(file, "a node in " + t.where() + " has an empty name"));
                }
                if (n.type() == null) {
                    findings.add(Finding.error(file, "node " + at + " has no type"));
                    continue;
                }
                switch (n.type()) {
                    case FILE -> checkContent(file, at, n);
                    case DIR -> {
                        if (n.subtree() == null) {
                            findings.add(Finding.error(file, "dir " + at + " has no subtree"));
                        } else if (seen.add(n.subtree())) {
                            queue.add(new PendingTree(n.subtree(), at));
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }

    private void checkContent(String file, String at, Node n) {
        if (n.content() == null) {
            findings.add(Finding.error(file, "file " + at + " has no content list (null)"));
            return;
        }
        for (int i = 0; i < n.content().size(); i++) {
            Id blob = n.content().get(i);
            if (blob == null) {
                findings.add(Finding.error(file, "file " + at + " blob " + i + " has a null ID"));
            } else if (!index.has(BlobType.DATA, blob)) {
                findings.add(Finding.error(file, "file " + at + " blob " + i + " (" + blob.shortHex()
                        + ") is not in any index as a data blob"));
            }
        }
    }

    /** Loads, verifies and decodes a tree blob; records an error and returns null if that fails. */
    private List<Node> loadTree(PendingTree t) {
        String file = "tree " + t.id().hex();
        BlobLocation loc = index.lookup(BlobType.TREE, t.id());
        if (loc == null) {
            findings.add(Finding.error(file, "tree of " + t.where() + " is not in any index"));
            return null;
        }
        String pack = path(FileType.PACK, loc.packId());
        byte[] plain;
        try {
            byte[] sealed = repo.backend().load(new Handle(FileType.PACK, loc.packId().hex()), loc.blob().offset(),
                    loc.blob().length());
            plain = repo.openBlob(sealed, 0, loc, pack);
        } catch (NotFoundException e) {
            findings.add(Finding.error(pack, "tree " + t.id().shortHex() + " of " + t.where()
                    + " cannot be read: the pack does not exist"));
            return null;
        } catch (IOException | RuntimeException e) {
            stopIfLockLost(e);
            findings.add(Finding.error(pack, "tree " + t.id().shortHex() + " of " + t.where() + " cannot be read: "
                    + describe(e)));
            return null;
        }
        try {
            return TreeCodec.decode(plain, file);
        } catch (RuntimeException e) {
            findings.add(Finding.error(file, "tree of " + t.where() + " cannot be decoded: " + describe(e)));
            return null;
        }
    }

    // ---- --read-data ----------------------------------------------------------------------

    private void readPacks(List<Id> ids) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(READ_THREADS, r -> {
            Thread th = new Thread(r, "check-read-data");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<List<Finding>>> results = new ArrayList<>();
            for (Id id : ids) {
                if (missingPacks.contains(id)) {
                    continue;
                }
                PackEntry entry = packs.get(id);
                results.add(pool.submit(() -> readPack(entry)));
            }
            for (Future<List<Finding>> f : results) {
                try {
                    findings.addAll(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StowageException("interrupted", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof LockLostException lost) {
                        throw lost;
                    }
                    throw new StowageException(describe((Exception) e.getCause()), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads one whole pack and checks it against its name, its index entry and its own header. */
    private List<Finding> readPack(PackEntry entry) {
        List<Finding> out = new ArrayList<>();
        String file = path(FileType.PACK, entry.packId());
        byte[] data;
        try {
            data = repo.backend().load(new Handle(FileType.PACK, entry.packId().hex()));
        } catch (IOException | RuntimeException e) {
            stopIfLockLost(e);
            out.add(Finding.error(file, "the pack cannot be read: " + describe(e)));
            return out;
        }
        Id actual = Id.hash(data);
        if (!actual.equals(entry.packId())) {
            out.add(Finding.error(file, "the pack is damaged: its content hashes to " + actual.shortHex()
                    + ", not to its name"));
        }
        List<PackedBlob> blobs = new ArrayList<>(entry.blobs());
        blobs.sort(Comparator.comparingLong(PackedBlob::offset));
        long pos = 0;
        for (PackedBlob b : blobs) {
            if (b.offset() != pos) {
                out.add(Finding.error(file, "the index lists " + (b.offset() > pos ? "a gap" : "overlapping blobs")
                        + " in the pack: " + b.type().jsonName() + " blob " + b.id().shortHex() + " starts at offset "
                        + b.offset() + ", expected " + pos));
            }
            pos = Math.max(pos, b.offset() + (b.length() & 0xffffffffL));
            if (b.offset() < 0 || b.offset() + (b.length() & 0xffffffffL) > data.length) {
                out.add(Finding.error(file, b.type().jsonName() + " blob " + b.id().shortHex() + " at offset "
                        + b.offset() + " lies beyond the end of the pack"));
                continue;
            }
            try {
                repo.openBlob(data, (int) b.offset(), new BlobLocation(entry.packId(), b), file);
            } catch (RuntimeException e) {
                out.add(Finding.error(file, describe(e)));
            }
        }
        List<PackedBlob> header;
        try {
            header = PackFormat.readHeader(data, repo.key(), file);
        } catch (RuntimeException e) {
            out.add(Finding.error(file, "the pack header cannot be read: " + describe(e)));
            return out;
        }
        long headerSize = PackFormat.packSize(header);
        long indexSize = PackFormat.packSize(entry.blobs());
        if (headerSize != indexSize) {
            out.add(Finding.error(file, "the pack header implies a size of " + headerSize + " bytes, the index "
                    + indexSize));
        }
        Set<PackedBlob> indexed = new HashSet<>(entry.blobs());
        for (PackedBlob h : header) {
            if (!indexed.contains(h)) {
                out.add(Finding.error(file, "the pack header lists " + h.type().jsonName() + " blob " + h.id().shortHex()
                        + " at offset " + h.offset() + " (length " + h.length() + ", uncompressed "
                        + h.uncompressedLength() + "), which no index entry for this pack matches"));
            }
        }
        Set<PackedBlob> inHeader = new HashSet<>(header);
        for (PackedBlob b : entry.blobs()) {
            if (!inHeader.contains(b)) {
                out.add(Finding.error(file, "the index lists " + b.type().jsonName() + " blob " + b.id().shortHex()
                        + " at offset " + b.offset() + ", which the pack header does not"));
            }
        }
        return out;
    }
}
