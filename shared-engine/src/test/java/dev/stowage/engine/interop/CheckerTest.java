package dev.stowage.engine.interop;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.checker.CheckResult;
import dev.stowage.engine.checker.Checker;
import dev.stowage.engine.checker.Finding;
import dev.stowage.engine.checker.ReadDataSubset;
import dev.stowage.engine.data.FileMode;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.repository.BlobSaver;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Checker} on real repositories, clean and damaged; for every damage restic 0.14's own
 * {@code check} must agree that something is wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckerTest {
    private static final int BACKUPS = 4;
    private Path tmp;
    private Path pristine;
    private Path src;
    private int n;

    /** Four backups of growing content: four data packs and four tree packs. */
    @BeforeAll
    void repository(@TempDir Path dir) throws IOException {
        tmp = dir;
        src = Files.createDirectories(tmp.resolve("src"));
        pristine = tmp.resolve("pristine");
        Random rnd = new Random(7);
        try (StowageRepo r = StowageRepo.init(pristine, 2, Compression.AUTO)) {
            for (int i = 0; i < BACKUPS; i++) {
                byte[] b = new byte[100_000 + i];
                rnd.nextBytes(b);
                Files.createDirectories(src.resolve("d" + i));
                Files.write(src.resolve("d" + i).resolve("f.bin"), b);
                r.backup(StowageRepo.options(), src);
            }
        }
    }

    private Path copy() throws IOException {
        Path to = tmp.resolve("repo" + n++);
        try (Stream<Path> all = Files.walk(pristine)) {
            for (Path p : all.toList()) {
                Files.copy(p, to.resolve(pristine.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return to;
    }

    private static CheckResult check(Path repo, ReadDataSubset subset) throws IOException {
        return check(repo, StowageRepo.PASSWORD, subset);
    }

    private static CheckResult check(Path repo, String password, ReadDataSubset subset) throws IOException {
        try (Repository r = Repository.open(new LocalBackend(repo), password, RepositoryOptions.defaults())) {
            return new Checker(r).check(subset, step -> { });
        }
    }

    private static Restic restic(Path repo) {
        return new Restic(repo, StowageRepo.PASSWORD);
    }

    private static void resticFails(Path repo, String... args) {
        List<String> a = new ArrayList<>(List.of("check"));
        a.addAll(List.of(args));
        Restic.Result r = restic(repo).run(null, null, a.toArray(String[]::new));
        assertNotEquals(0, r.exit(), () -> "restic check should have failed:\n" + r.describe());
    }

    private static List<String> files(Path repo, String dir) throws IOException {
        try (Stream<Path> s = Files.walk(repo.resolve(dir))) {
            return s.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString()).sorted().toList();
        }
    }

    /** Data packs (not tree packs) of the repository, by the index. */
    private static List<String> dataPacks(Path repo) throws IOException {
        try (StowageRepo r = StowageRepo.open(repo, StowageRepo.PASSWORD)) {
            return r.blobs(BlobType.DATA).stream().map(BlobLocation::packId).distinct()
                    .map(id -> new Handle(FileType.PACK, id.hex()).path()).sorted().toList();
        }
    }

    private static void assertOnlyError(CheckResult r, String file, String messagePart) {
        assertFalse(r.errors().isEmpty(), "no errors found");
        for (Finding f : r.errors()) {
            assertEquals(file, f.file(), () -> "findings: " + r.findings());
            assertTrue(f.message().contains(messagePart), () -> "findings: " + r.findings());
        }
    }

    private static void writable(Path p) throws IOException {
        p.toFile().setWritable(true);
    }

    @Test
    void aCleanStowageRepositoryChecksClean() throws IOException {
        CheckResult r = check(pristine, new ReadDataSubset.All());
        assertEquals(List.of(), r.findings());
        assertEquals(2 * BACKUPS, r.packsRead().size());
        restic(pristine).checkReadData();
    }

    @Test
    void aCleanResticRepositoryChecksClean(@TempDir Path dir) throws IOException {
        Path repo = dir.resolve("restic-repo");
        restic(repo).ok("init");
        restic(repo).ok(tmp, null, "backup", "src");
        restic(repo).ok(tmp, null, "backup", "src");
        restic(repo).checkReadData();
        CheckResult r = check(repo, new ReadDataSubset.All());
        assertEquals(List.of(), r.findings());
        assertFalse(r.packsRead().isEmpty());
    }

    @Test
    void aBitFlipInAPackIsFoundOnlyByReadData() throws IOException {
        Path repo = copy();
        String pack = dataPacks(repo).get(0);
        Path file = repo.resolve(pack);
        writable(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x10);
        }
        assertEquals(List.of(), check(repo, null).findings());
        restic(repo).ok("check");
        CheckResult r = check(repo, new ReadDataSubset.All());
        assertOnlyError(r, pack, "");
        assertTrue(r.errors().stream().anyMatch(f -> f.message().contains("fails authentication")), r.findings()::toString);
        resticFails(repo, "--read-data");
    }

    @Test
    void aTruncatedPackHasTheWrongSize() throws IOException {
        Path repo = copy();
        String pack = dataPacks(repo).get(0);
        Path file = repo.resolve(pack);
        writable(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }
        assertOnlyError(check(repo, null), pack, "unexpected file size");
        resticFails(repo);
    }

    @Test
    void aDeletedPackDoesNotExist() throws IOException {
        Path repo = copy();
        String pack = dataPacks(repo).get(1);
        Files.delete(repo.resolve(pack));
        CheckResult r = check(repo, new ReadDataSubset.All());
        assertOnlyError(r, pack, "does not exist");
        assertEquals(1, r.errors().size(), r.findings()::toString);
        resticFails(repo);
    }

    @Test
    void deletedIndexFilesLeaveTheSnapshotsTreesUnindexed() throws IOException {
        Path repo = copy();
        List<String> trees;
        try (StowageRepo r = StowageRepo.open(repo, StowageRepo.PASSWORD)) {
            trees = r.snapshots().stream().map(s -> "tree " + s.tree().hex()).sorted().toList();
        }
        for (String index : files(repo, "index")) {
            Files.delete(repo.resolve(index));
        }
        CheckResult r = check(repo, null);
        assertEquals(trees, r.errors().stream().map(Finding::file).sorted().toList(), r.findings()::toString);
        assertTrue(r.errors().stream().allMatch(f -> f.message().contains("is not in any index")), r.findings()::toString);
        assertEquals(files(repo, "data"), r.hints().stream().map(Finding::file).sorted().toList());
        resticFails(repo);
    }

    @Test
    void aCorruptedSnapshotFileIsNamed() throws IOException {
        Path repo = copy();
        String snap = files(repo, "snapshots").get(0);
        Path file = repo.resolve(snap);
        writable(file);
        byte[] b = Files.readAllBytes(file);
        b[40] ^= 1;
        Files.write(file, b);
        assertOnlyError(check(repo, null), snap, "cannot be loaded");
        resticFails(repo);
    }

    @Test
    void aPackInNoIndexIsAHintOnly() throws IOException {
        Path repo = copy();
        byte[] junk = new byte[500];
        new Random(3).nextBytes(junk);
        Id id = Id.hash(junk);
        String pack = new Handle(FileType.PACK, id.hex()).path();
        Files.createDirectories(repo.resolve(pack).getParent());
        Files.write(repo.resolve(pack), junk);
        CheckResult r = check(repo, new ReadDataSubset.All());
        assertFalse(r.hasErrors(), r.findings()::toString);
        assertEquals(List.of(pack), r.hints().stream().map(Finding::file).toList());
        assertTrue(r.hints().get(0).message().contains("not referenced in any index"));
        Restic.Result rr = restic(repo).ok("check");
        assertTrue(rr.out().contains(id.hex() + ": not referenced in any index"), rr::describe);
    }

    @Test
    void aDirWithoutSubtreeIsAnError() throws IOException {
        Path repo = copy();
        OffsetDateTime t = OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        Node dir = new Node("nosub".getBytes(StandardCharsets.UTF_8), NodeType.DIR, FileMode.DIR | 0755, t, t, t,
                0, 0, "", "", 0, 0, 0, 0, null, List.of(), 0, null, null, "");
        byte[] json = TreeCodec.encode(List.of(dir));
        assertFalse(new String(json, StandardCharsets.UTF_8).contains("subtree"));
        Id tree = Id.hash(json);
        try (StowageRepo sr = StowageRepo.open(repo, StowageRepo.PASSWORD)) {
            Repository r = sr.repository();
            r.loadIndex();
            try (BlobSaver saver = r.newBlobSaver()) {
                saver.save(BlobType.TREE, tree, json);
                saver.flush();
            }
            Snapshots.save(r, new Snapshot(null, t, null, tree, List.of("/crafted"), "h", "u", 0, 0,
                    null, null, null, null, null));
        }
        CheckResult r = check(repo, new ReadDataSubset.All());
        assertOnlyError(r, "tree " + tree.hex(), "has no subtree");
        assertTrue(r.errors().get(0).message().contains("nosub"));
        resticFails(repo);
    }

    @Test
    void readDataSubsetsUseResticsBuckets() throws IOException {
        Set<Id> all = new TreeSet<>(check(pristine, new ReadDataSubset.All()).packsRead());
        Set<Id> union = new TreeSet<>();
        int total = 3;
        for (int i = 1; i <= total; i++) {
            int bucket = i;
            List<Id> read = check(pristine, ReadDataSubset.parse(i + "/" + total)).packsRead();
            assertEquals(all.stream().filter(id -> (id.toBytes()[0] & 0xff) % total == bucket - 1).toList(), read);
            union.addAll(read);
            Restic.Result rr = restic(pristine).ok("check", "--read-data-subset", i + "/" + total);
            assertTrue(rr.out().contains("read group #" + i + " of " + read.size() + " data packs (out of total "
                    + all.size() + " packs in " + total + " groups)"), rr::describe);
        }
        assertEquals(all, union);
        assertEquals(all.size() / 2, check(pristine, ReadDataSubset.parse("50%")).packsRead().size());
        assertEquals(1, check(pristine, ReadDataSubset.parse("0.1%")).packsRead().size());
        assertEquals(all.size(), check(pristine, ReadDataSubset.parse("100%")).packsRead().size());
        Set<Id> distinct = check(pristine, ReadDataSubset.parse("50%")).packsRead().stream().collect(Collectors.toSet());
        assertTrue(all.containsAll(distinct));
    }

    @Test
    void invalidSubsetsAreRejected() {
        for (String bad : List.of("0/3", "4/3", "1/300", "0%", "101%", "x", "1/2/3", "-5")) {
            org.junit.jupiter.api.Assertions.assertThrows(dev.stowage.engine.StowageException.class,
                    () -> ReadDataSubset.parse(bad), bad);
        }
        assertEquals(new ReadDataSubset.Size(500L << 20), ReadDataSubset.parse("500M"));
    }
}
