package dev.stowage.engine.restorer;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.WrongPasswordException;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotFilter;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.index.IndexFile;
import dev.stowage.engine.index.PackEntry;
import dev.stowage.engine.repository.NoRepositoryException;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.stowage.engine.restorer.TestRepo.assertNoWrongContent;
import static dev.stowage.engine.restorer.TestRepo.contents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged repositories: each failure must be a StowageException naming the damaged file or the
 * problem, and a restore must never leave a file with wrong content behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DamagedRepositoryTest {
    private Path tmp;
    private Path src;
    private Path pristine;
    private Path repoDir;
    private Repository repo;
    private Snapshot first;
    private Snapshot second;
    private byte[] big;
    private int n;

    /**
     * Two backups of src, made once: the first holds keep.txt; the second adds new.txt and
     * big.bin (2.2 MB, at least three chunks), whose data blobs land in a second data pack.
     * Every test damages its own copy of this repository.
     */
    @BeforeAll
    void backups(@TempDir Path dir) throws Exception {
        tmp = dir;
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("keep.txt"), "kept from the first backup\n");
        pristine = tmp.resolve("pristine");
        try (Repository r = TestRepo.create(pristine)) {
            first = TestRepo.backup(r, src);
            Files.writeString(src.resolve("new.txt"), "only in the second backup\n");
            Files.createDirectories(src.resolve("sub"));
            // random, then zeros, then random: whatever the repository's polynomial, runs of zeros
            // are cut at 512 KiB, so big.bin always has at least three distinct chunks
            big = new byte[(600 << 10) + (1 << 20) + (600 << 10)];
            Random rnd = new Random(1);
            byte[] head = new byte[600 << 10];
            rnd.nextBytes(head);
            System.arraycopy(head, 0, big, 0, head.length);
            rnd.nextBytes(head);
            System.arraycopy(head, 0, big, big.length - head.length, head.length);
            Files.write(src.resolve("sub/big.bin"), big);
            second = TestRepo.backup(r, src);
        }
    }

    @BeforeEach
    void copyRepository() throws Exception {
        repoDir = tmp.resolve("repo" + n++);
        try (Stream<Path> all = Files.walk(pristine)) {
            for (Path p : all.toList()) {
                Files.copy(p, repoDir.resolve(pristine.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        repo = TestRepo.open(repoDir);
    }

    @AfterEach
    void close() throws Exception {
        repo.close();
    }

    /** Where the restore puts src. */
    private Path restoredSrc(Path target) {
        return target.resolve(src.toString().substring(1));
    }

    private BlobLocation locate(byte[] content) {
        return repo.index().lookup(BlobType.DATA, Id.hash(content));
    }

    private Path packFile(Id pack) {
        return repoDir.resolve(new Handle(FileType.PACK, pack.hex()).path());
    }

    private StowageException restoreFails(Snapshot s, Path target) {
        return assertThrows(StowageException.class, () -> TestRepo.restore(repo, s, target));
    }

    @Test
    void truncatedPackFailsNamingItAndLeavesNoWrongFile() throws Exception {
        Id pack = locate(Files.readAllBytes(src.resolve("new.txt"))).packId();
        Path file = packFile(pack);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        Path target = tmp.resolve("target" + n);
        StowageException e = restoreFails(second, target);
        assertTrue(e.getMessage().contains(new Handle(FileType.PACK, pack.hex()).path()), e.getMessage());
        List<String> restored = assertNoWrongContent(restoredSrc(target), src);
        assertFalse(restored.contains("sub/big.bin"));
        assertFalse(restored.contains("new.txt"));

        StowageException d = assertThrows(StowageException.class,
                () -> new Dumper(repo).dump(second, src + "/sub/big.bin", new ByteArrayOutputStream()));
        assertTrue(d.getMessage().contains(pack.hex()), d.getMessage());
    }

    @Test
    void bitFlipInTheLastBlobOfAFileDeletesThePartlyWrittenFile() throws Exception {
        // big.bin has several chunks; damage the one that is written last so the others are written first
        List<Id> content = bigContent();
        assertTrue(content.size() >= 3, "big.bin should have several chunks, has " + content.size());
        assertEquals(content.size(), new java.util.HashSet<>(content).size(), "the chunks are distinct");
        BlobLocation last = repo.index().lookup(BlobType.DATA, content.get(content.size() - 1));
        Path file = packFile(last.packId());
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) last.blob().offset() + 40] ^= 0x01;
        Files.write(file, bytes);

        Path target = tmp.resolve("target" + n);
        StowageException e = restoreFails(second, target);
        String msg = e.getMessage();
        assertTrue(msg.contains(new Handle(FileType.PACK, last.packId().hex()).path()) && msg.contains("damaged"), msg);
        assertTrue(msg.contains(last.blob().id().shortHex()), msg);
        List<String> restored = assertNoWrongContent(restoredSrc(target), src);
        assertFalse(restored.contains("sub/big.bin"), "the incomplete file must be removed");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StowageException d = assertThrows(StowageException.class, () -> new Dumper(repo).dump(second, src + "/sub/big.bin", out));
        assertTrue(d.getMessage().contains(last.packId().hex()), d.getMessage());
    }

    private List<Id> bigContent() throws Exception {
        java.util.concurrent.atomic.AtomicReference<List<Id>> found = new java.util.concurrent.atomic.AtomicReference<>();
        new dev.stowage.engine.walker.TreeWalker(repo).walk(second.tree(), (path, node) -> {
            if (path.endsWith("/sub/big.bin")) {
                found.set(node.content());
            }
        });
        return found.get();
    }

    @Test
    void missingPackFailsNamingIt() throws Exception {
        Id pack = locate(Files.readAllBytes(src.resolve("new.txt"))).packId();
        Files.delete(packFile(pack));
        Path target = tmp.resolve("target" + n);
        StowageException e = restoreFails(second, target);
        assertTrue(e.getMessage().contains(pack.hex()), e.getMessage());
        assertNoWrongContent(restoredSrc(target), src);
    }

    @Test
    void filesFromIntactPacksAreRestoredCorrectlyNextToADamagedOne() throws Exception {
        Id keepPack = locate(Files.readAllBytes(src.resolve("keep.txt"))).packId();
        BlobLocation newBlob = locate(Files.readAllBytes(src.resolve("new.txt")));
        assertNotEquals(keepPack, newBlob.packId());
        // zero new.txt's blob (wherever the parallel backup put it in its pack)
        Path file = packFile(newBlob.packId());
        byte[] bytes = Files.readAllBytes(file);
        Arrays.fill(bytes, (int) newBlob.blob().offset(), (int) newBlob.blob().offset() + newBlob.blob().length(), (byte) 0);
        Files.write(file, bytes);
        Path target = tmp.resolve("target" + n);
        restoreFails(second, target);
        List<String> restored = assertNoWrongContent(restoredSrc(target), src);
        assertFalse(restored.contains("new.txt"));
        // the first snapshot does not need the damaged pack at all
        Path other = tmp.resolve("other" + n);
        TestRepo.restore(repo, first, other);
        assertEquals(List.of("keep.txt"), assertNoWrongContent(restoredSrc(other), src));
    }

    @Test
    void snapshotWhoseTreesAreNoLongerIndexedFailsClearly() throws Exception {
        repo.close();
        for (String name : new LocalBackend(repoDir).list(FileType.INDEX)) {
            Files.delete(repoDir.resolve("index").resolve(name));
        }
        repo = TestRepo.open(repoDir);
        Snapshot s = Snapshots.find(repo, second.id().hex(), SnapshotFilter.ALL);
        Path target = tmp.resolve("target" + n);
        StowageException e = restoreFails(s, target);
        assertTrue(e.getMessage().contains("tree blob " + s.tree()) && e.getMessage().contains("not in the index"), e.getMessage());
        assertEquals(List.of(), contents(target), "nothing may be written");
        StowageException d = assertThrows(StowageException.class,
                () -> new Dumper(repo).dump(s, src + "/new.txt", new ByteArrayOutputStream()));
        assertTrue(d.getMessage().contains("not in the index"), d.getMessage());
    }

    @Test
    void snapshotWhoseDataBlobsAreNoLongerIndexedFailsClearly() throws Exception {
        // rewrite the index without the data packs: trees stay readable, file content does not
        for (Id ix : repo.listIds(FileType.INDEX)) {
            List<PackEntry> packs = IndexFile.decode(repo.loadUnpacked(FileType.INDEX, ix), ix.hex());
            List<PackEntry> trees = packs.stream().filter(p -> p.blobs().get(0).type() == BlobType.TREE).toList();
            repo.saveUnpacked(FileType.INDEX, IndexFile.encode(trees));
            repo.backend().remove(new Handle(FileType.INDEX, ix.hex()));
        }
        repo.close();
        repo = TestRepo.open(repoDir);
        Path target = tmp.resolve("target" + n);
        StowageException e = restoreFails(second, target);
        assertTrue(e.getMessage().contains("not in the index") && e.getMessage().contains("/keep.txt"), e.getMessage());
        assertFalse(Files.exists(target), "missing blobs are found while planning, before anything is written");
        StowageException d = assertThrows(StowageException.class,
                () -> new Dumper(repo).dump(second, src + "/new.txt", new ByteArrayOutputStream()));
        assertTrue(d.getMessage().contains("data blob") && d.getMessage().contains("not in the index"), d.getMessage());
    }

    @Test
    void wrongPassword() {
        WrongPasswordException e = assertThrows(WrongPasswordException.class,
                () -> Repository.open(new LocalBackend(repoDir), "not the password", RepositoryOptions.defaults()));
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void notARepository() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty" + n));
        NoRepositoryException e = assertThrows(NoRepositoryException.class,
                () -> Repository.open(new LocalBackend(empty), "x", RepositoryOptions.defaults()));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertThrows(NoRepositoryException.class,
                () -> Repository.open(new LocalBackend(tmp.resolve("does-not-exist")), "x", RepositoryOptions.defaults()));
        // a repository that lost its config is not a repository either
        Files.delete(repoDir.resolve("config"));
        assertThrows(NoRepositoryException.class, () -> Repository.open(new LocalBackend(repoDir), "x", RepositoryOptions.defaults()));
        assertEquals(List.of(), contents(empty), "open must not create anything");
    }

    @Test
    void damagedConfigIsNamed() throws Exception {
        Path config = repoDir.resolve("config");
        byte[] bytes = Files.readAllBytes(config);
        bytes[20] ^= 0x40;
        Files.write(config, bytes);
        StowageException e = assertThrows(StowageException.class,
                () -> Repository.open(new LocalBackend(repoDir), TestRepo.PASSWORD, RepositoryOptions.defaults()));
        assertTrue(e.getMessage().contains("config") && e.getMessage().contains("fails authentication"), e.getMessage());
    }

    @Test
    void corruptedSnapshotFileIsNamedByItsHashMismatch() throws Exception {
        Path file = repoDir.resolve("snapshots").resolve(second.id().hex());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x04;
        Files.write(file, bytes);
        String name = "snapshots/" + second.id().hex();
        StowageException e = assertThrows(StowageException.class, () -> Snapshots.loadAll(repo));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("does not match its name"), e.getMessage());
        e = assertThrows(StowageException.class, () -> Snapshots.find(repo, second.id().shortHex(), SnapshotFilter.ALL));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        // the other snapshot is still readable
        assertEquals(first, Snapshots.find(repo, first.id().hex(), SnapshotFilter.ALL));
    }

    @Test
    void snapshotFileThatHashesToItsNameButFailsAuthenticationIsNamed() throws Exception {
        Path file = repoDir.resolve("snapshots").resolve(second.id().hex());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01; // the MAC
        Files.delete(file);
        Id renamed = Id.hash(bytes);
        Files.write(repoDir.resolve("snapshots").resolve(renamed.hex()), bytes);
        StowageException e = assertThrows(StowageException.class, () -> Snapshots.find(repo, renamed.hex(), SnapshotFilter.ALL));
        assertTrue(e.getMessage().contains("snapshots/" + renamed.hex()) && e.getMessage().contains("verification failed"),
                e.getMessage());
    }

    @Test
    void corruptedIndexFileIsNamed() throws Exception {
        Id ix = repo.listIds(FileType.INDEX).get(0);
        Path file = repoDir.resolve("index").resolve(ix.hex());
        byte[] bytes = Files.readAllBytes(file);
        bytes[17] ^= 0x20;
        Files.write(file, bytes);
        repo.close();
        repo = Repository.open(new LocalBackend(repoDir), TestRepo.PASSWORD, RepositoryOptions.defaults());
        StowageException e = assertThrows(StowageException.class, () -> repo.loadIndex());
        assertTrue(e.getMessage().contains("index/" + ix.hex()), e.getMessage());
    }

    @Test
    void intactRepositoryRestoresEverything() throws Exception {
        Path target = tmp.resolve("target" + n);
        RestoreResult r = TestRepo.restore(repo, second, target);
        assertEquals(List.of("keep.txt", "new.txt", "sub/big.bin"), assertNoWrongContent(restoredSrc(target), src));
        assertEquals(3, r.files());
        assertArrayEquals(big, Files.readAllBytes(restoredSrc(target).resolve("sub/big.bin")));
    }
}
