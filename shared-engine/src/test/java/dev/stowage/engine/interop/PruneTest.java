package dev.stowage.engine.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.ForwardingBackend;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.checker.CheckResult;
import dev.stowage.engine.checker.Checker;
import dev.stowage.engine.checker.ReadDataSubset;
import dev.stowage.engine.forget.Forget;
import dev.stowage.engine.index.IndexFile;
import dev.stowage.engine.index.PackEntry;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.prune.MaxUnused;
import dev.stowage.engine.prune.Prune;
import dev.stowage.engine.prune.PruneOptions;
import dev.stowage.engine.prune.PruneStats;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prune on real repositories, checked by restic 0.14 ({@code check --read-data}), our Checker and restores. */
class PruneTest {
    @TempDir
    Path tmp;

    private Path src() throws IOException {
        return Files.createDirectories(tmp.resolve("src"));
    }

    private static void put(Path dir, String name, byte[] content) throws IOException {
        Files.write(dir.resolve(name), content);
    }

    /** Runs prune like the CLI: fresh repository, exclusive lock. */
    private static PruneStats prune(Path repoDir, PruneOptions options, List<String> log) throws IOException {
        return prune(new LocalBackend(repoDir), options, log);
    }

    private static PruneStats prune(Backend backend, PruneOptions options, List<String> log) throws IOException {
        try (Repository repo = Repository.open(backend, StowageRepo.PASSWORD, RepositoryOptions.defaults())) {
            try (LockHandle lock = new Locker(repo, Identity.current()).lock(true)) {
                return new Prune(repo, log::add).run(options);
            }
        }
    }

    private static long repoSize(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("data"))) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Every file of the repository with its SHA-256. */
    private static Map<String, String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            Map<String, String> out = new TreeMap<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), FsTree.sha256(p));
            }
            return out;
        }
    }

    private static void resticCheckReadData(Path dir) {
        Restic.Result r = new Restic(dir, StowageRepo.PASSWORD).run(null, null, "check", "--read-data");
        assertEquals(0, r.exit(), r.describe());
    }

    private static void ourCheck(Path dir) throws IOException {
        try (StowageRepo r = StowageRepo.open(dir, StowageRepo.PASSWORD)) {
            CheckResult result = new Checker(r.repository()).check(new ReadDataSubset.All(), s -> { });
            assertEquals(List.of(), result.errors());
        }
    }

    /** Restores the snapshot (of {@code src}) and compares every regular file with {@code expected}. */
    private void assertRestores(Path dir, Id snapshot, Path src, Map<String, byte[]> expected) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("restore-" + snapshot.shortHex()));
        try (StowageRepo r = StowageRepo.open(dir, StowageRepo.PASSWORD)) {
            r.restore(r.snapshot(snapshot), target);
        }
        Path root = target.resolve(src.toString().substring(1));
        Map<String, byte[]> actual = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                actual.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertTrue(Arrays.equals(expected.get(k), actual.get(k)), k + " differs");
        }
    }

    private static Id backup(StowageRepo r, Path src) throws IOException {
        return r.backup(StowageRepo.options(), src).snapshot().id();
    }

    private static void forget(Path dir, Id... ids) throws IOException {
        try (StowageRepo r = StowageRepo.open(dir, StowageRepo.PASSWORD)) {
            Forget.remove(r.repository(), List.of(ids));
        }
    }

    @Test
    void forgetThenPruneRemovesUnreferencedDataAndKeepsTheRestIntact() throws IOException {
        Path dir = tmp.resolve("repo");
        Path src = src();
        byte[] a = TestData.random(1, 300_000);
        byte[] b = TestData.random(2, 300_000);
        byte[] c = TestData.random(3, 300_000);
        Id s1;
        Id s2;
        Id s3;
        try (StowageRepo r = StowageRepo.init(dir, 2, Compression.AUTO)) {
            put(src, "a.bin", a);
            s1 = backup(r, src);
            Files.delete(src.resolve("a.bin"));
            put(src, "b.bin", b);
            s2 = backup(r, src);
            put(src, "c.bin", c);
            s3 = backup(r, src);
        }
        forget(dir, s1);
        long before = repoSize(dir);
        List<String> log = new ArrayList<>();
        PruneStats stats = prune(dir, PruneOptions.defaults(), log);
        assertTrue(log.contains("done"), log.toString());
        assertTrue(stats.deletePacks() >= 2, stats.toString());
        assertEquals(0, stats.repackPacks(), stats.toString());
        assertTrue(repoSize(dir) < before - 290_000, before + " -> " + repoSize(dir));
        resticCheckReadData(dir);
        ourCheck(dir);
        assertRestores(dir, s2, src, Map.of("b.bin", b));
        assertRestores(dir, s3, src, Map.of("b.bin", b, "c.bin", c));
        try (StowageRepo r = StowageRepo.open(dir, StowageRepo.PASSWORD)) {
            assertFalse(r.dataBlobIds().contains(Id.hash(a)));
        }
        // a second prune finds nothing to do
        PruneStats again = prune(dir, PruneOptions.defaults(), new ArrayList<>());
        assertEquals(0, again.unusedBlobs() + again.deletePacks() + again.repackPacks(), again.toString());
    }

    @Test
    void partlyUsedPackIsRepacked() throws IOException {
        Path dir = tmp.resolve("repo");
        Path src = src();
        byte[] a = TestData.random(11, 200_000);
        byte[] b = TestData.random(12, 200_000);
        Id s1;
        Id s2;
        try (StowageRepo r = StowageRepo.init(dir, 2, Compression.AUTO)) {
            put(src, "a.bin", a);
            put(src, "b.bin", b);
            s1 = backup(r, src);
            Files.delete(src.resolve("b.bin"));
            s2 = backup(r, src);
            assertTrue(r.dataBlobIds().containsAll(Set.of(Id.hash(a), Id.hash(b))));
        }
        Set<String> packsBefore = packs(dir);
        forget(dir, s1);
        PruneStats stats = prune(dir, PruneOptions.defaults().withMaxUnused(MaxUnused.parse("0")), new ArrayList<>());
        assertTrue(stats.repackPacks() >= 1, stats.toString());
        assertTrue(stats.newPacks() >= 1, stats.toString());
        try (StowageRepo r = StowageRepo.open(dir, StowageRepo.PASSWORD)) {
            Set<Id> data = r.dataBlobIds();
            assertTrue(data.contains(Id.hash(a)));
            assertFalse(data.contains(Id.hash(b)));
        }
        Set<String> packsAfter = packs(dir);
        assertFalse(packsBefore.containsAll(packsAfter), "a new pack was written");
        resticCheckReadData(dir);
        ourCheck(dir);
        assertRestores(dir, s2, src, Map.of("a.bin", a));
    }

    @Test
    void pruneOnAResticRepository() throws IOException {
        Path dir = tmp.resolve("repo");
        Path src = src();
        Restic restic = new Restic(dir, StowageRepo.PASSWORD);
        assertEquals(0, restic.run(null, null, "init").exit());
        byte[] a = TestData.random(21, 250_000);
        byte[] b = TestData.random(22, 250_000);
        put(src, "a.bin", a);
        put(src, "b.bin", b);
        assertEquals(0, restic.run(src, null, "backup", "-q", ".").exit());
        Files.delete(src.resolve("b.bin"));
        assertEquals(0, restic.run(src, null, "backup", "-q", ".").exit());
        Restic.Result f = restic.run(null, null, "forget", "--keep-last", "1");
        assertEquals(0, f.exit(), f.describe());
        long before = repoSize(dir);
        PruneStats stats = prune(dir, PruneOptions.defaults().withMaxUnused(MaxUnused.parse("0")), new ArrayList<>());
        assertTrue(stats.repackPacks() + stats.deletePacks() >= 1, stats.toString());
        assertTrue(repoSize(dir) < before, before + " -> " + repoSize(dir));
        resticCheckReadData(dir);
        ourCheck(dir);
        Restic.Result ls = restic.run(null, null, "ls", "latest");
        assertEquals(0, ls.exit(), ls.describe());
        Restic.Result dump = restic.run(null, null, "dump", "latest", "/a.bin");
        assertEquals(0, dump.exit(), dump.describe());
        assertTrue(Arrays.equals(a, dump.stdout()));
        try (StowageRepo r = StowageRepo.open(dir, StowageRepo.PASSWORD)) {
            assertFalse(r.dataBlobIds().contains(Id.hash(b)));
        }
    }

    @Test
    void dryRunChangesNothing() throws IOException {
        Path dir = tmp.resolve("repo");
        Path src = src();
        Id s1;
        try (StowageRepo r = StowageRepo.init(dir, 2, Compression.AUTO)) {
            put(src, "a.bin", TestData.random(31, 100_000));
            put(src, "b.bin", TestData.random(32, 100_000));
            s1 = backup(r, src);
            Files.delete(src.resolve("b.bin"));
            backup(r, src);
        }
        forget(dir, s1);
        Map<String, String> before = files(dir);
        PruneStats stats = prune(dir, PruneOptions.defaults().withMaxUnused(MaxUnused.parse("0")).withDryRun(true),
                new ArrayList<>());
        assertTrue(stats.repackPacks() + stats.deletePacks() > 0, stats.toString());
        assertEquals(0, stats.newPacks());
        assertEquals(before, files(dir));
    }

    @Test
    void incompleteIndexIsRefusedAndNothingIsDeleted() throws IOException {
        Path dir = tmp.resolve("repo");
        Path src = src();
        byte[] a = TestData.random(41, 100_000);
        Id s1;
        try (StowageRepo r = StowageRepo.init(dir, 2, Compression.AUTO)) {
            put(src, "a.bin", a);
            s1 = backup(r, src);
            put(src, "b.bin", TestData.random(42, 100_000));
            backup(r, src);
        }
        forget(dir, s1);
        // rewrite the index without the pack holding a.bin's blob
        try (StowageRepo r = StowageRepo.open(dir, StowageRepo.PASSWORD)) {
            Repository repo = r.repository();
            List<PackEntry> keep = new ArrayList<>();
            List<Id> old = repo.listIds(FileType.INDEX);
            for (Id id : old) {
                for (PackEntry p : IndexFile.decode(repo.loadUnpacked(FileType.INDEX, id), id.hex())) {
                    if (p.blobs().stream().noneMatch(blob -> blob.id().equals(Id.hash(a)))) {
                        keep.add(p);
                    }
                }
            }
            repo.saveUnpacked(FileType.INDEX, IndexFile.encode(keep));
            for (Id id : old) {
                repo.backend().remove(new Handle(FileType.INDEX, id.hex()));
            }
        }
        Map<String, String> before = files(dir);
        StowageException e = assertThrows(StowageException.class,
                () -> prune(dir, PruneOptions.defaults(), new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("index is not complete: 1 used blob is missing from the index (e.g. data blob "
                + Id.hash(a)), e.getMessage());
        Map<String, String> after = files(dir);
        after.keySet().removeIf(k -> k.startsWith("locks/"));
        before.keySet().removeIf(k -> k.startsWith("locks/"));
        assertEquals(before, after);
    }

    @Test
    void newIndexIsWrittenBeforeAnyPackOrOldIndexIsDeleted() throws IOException {
        Path dir = tmp.resolve("repo");
        Path src = src();
        Id s1;
        try (StowageRepo r = StowageRepo.init(dir, 2, Compression.AUTO)) {
            put(src, "a.bin", TestData.random(51, 100_000));
            put(src, "b.bin", TestData.random(52, 100_000));
            s1 = backup(r, src);
            Files.delete(src.resolve("b.bin"));
            put(src, "c.bin", TestData.random(53, 100_000));
            backup(r, src);
        }
        forget(dir, s1);
        List<String> ops = Collections.synchronizedList(new ArrayList<>());
        Set<String> oldIndex = indexFiles(dir);
        PruneStats stats = prune(new RecordingBackend(new LocalBackend(dir), ops),
                PruneOptions.defaults().withMaxUnused(MaxUnused.parse("0")), new ArrayList<>());
        assertTrue(stats.repackPacks() >= 1 && stats.deletePacks() >= 1, stats.toString());
        Set<String> newIndex = indexFiles(dir);
        assertTrue(Collections.disjoint(oldIndex, newIndex));
        int lastNewIndexSave = -1;
        int firstRemoval = Integer.MAX_VALUE;
        int firstPackRemoval = Integer.MAX_VALUE;
        int lastIndexRemoval = -1;
        for (int i = 0; i < ops.size(); i++) {
            String op = ops.get(i);
            if (newIndex.stream().anyMatch(id -> op.equals("save index/" + id))) {
                lastNewIndexSave = i;
            }
            if (op.startsWith("remove index/") || op.startsWith("remove data/")) {
                firstRemoval = Math.min(firstRemoval, i);
            }
            if (op.startsWith("remove data/")) {
                firstPackRemoval = Math.min(firstPackRemoval, i);
            }
            if (op.startsWith("remove index/")) {
                lastIndexRemoval = i;
            }
        }
        assertTrue(lastNewIndexSave >= 0 && lastNewIndexSave < firstRemoval, ops.toString());
        assertTrue(lastIndexRemoval < firstPackRemoval, ops.toString());
        assertTrue(firstPackRemoval < Integer.MAX_VALUE, ops.toString());
        resticCheckReadData(dir);
    }

    private static Set<String> packs(Path dir) throws IOException {
        return Set.copyOf(new LocalBackend(dir).list(FileType.PACK));
    }

    private static Set<String> indexFiles(Path dir) throws IOException {
        return Set.copyOf(new LocalBackend(dir).list(FileType.INDEX));
    }

    /** Records saves and removals (in order) of the backend it wraps. */
    private static final class RecordingBackend extends ForwardingBackend {
        private final List<String> ops;

        RecordingBackend(Backend inner, List<String> ops) {
            super(inner);
            this.ops = ops;
        }

        @Override
        public void save(Handle handle, List<byte[]> parts) throws IOException {
            super.save(handle, parts);
            ops.add("save " + handle.path());
        }

        @Override
        public PendingFile create(FileType type) throws IOException {
            PendingFile f = super.create(type);
            return new PendingFile() {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    f.write(b, off, len);
                }

                @Override
                public long size() {
                    return f.size();
                }

                @Override
                public void commit(Handle handle) throws IOException {
                    f.commit(handle);
                    ops.add("save " + handle.path());
                }

                @Override
                public void close() throws IOException {
                    f.close();
                }
            };
        }

        @Override
        public void remove(Handle handle) throws IOException {
            ops.add("remove " + handle.path());
            super.remove(handle);
        }
    }
}
