package dev.stowage.engine.restorer;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.data.FileMode;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.filter.PathFilter;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.pack.PackedBlob;
import dev.stowage.engine.repository.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static dev.stowage.engine.restorer.TestRepo.T;
import static dev.stowage.engine.restorer.TestRepo.contents;
import static dev.stowage.engine.restorer.TestRepo.dir;
import static dev.stowage.engine.restorer.TestRepo.file;
import static dev.stowage.engine.restorer.TestRepo.rawTree;
import static dev.stowage.engine.restorer.TestRepo.snapshot;
import static dev.stowage.engine.restorer.TestRepo.symlink;
import static dev.stowage.engine.restorer.TestRepo.tree;
import static dev.stowage.engine.restorer.TestRepo.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-made hostile snapshots: names that would escape the target, duplicates that would let a
 * symlink redirect later writes, and damaged trees. The restore must refuse before writing
 * anything, and nothing may appear outside the target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnsafeSnapshotTest {
    private Path tmp;
    private Repository repo;
    private Path outside;
    private Path target;
    private int n;

    @BeforeAll
    void createRepository(@TempDir Path dir) throws Exception {
        tmp = dir;
        repo = TestRepo.create(tmp.resolve("repo"));
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    @AfterAll
    void close() throws Exception {
        repo.close();
    }

    @BeforeEach
    void freshTarget() throws Exception {
        // the target sits two levels below tmp, so ".." and "../.." both stay inside tmp
        target = Files.createDirectories(tmp.resolve("t" + n++).resolve("target"));
    }

    /** The restore is refused, the target is still empty and nothing was written next to it or outside. */
    private UnsafeSnapshotException refused(Snapshot s) throws Exception {
        UnsafeSnapshotException e = assertThrows(UnsafeSnapshotException.class, () -> TestRepo.restore(repo, s, target));
        assertEquals(List.of(), contents(target), "the target must stay empty");
        assertEquals(List.of("target"), contents(target.getParent()), "nothing next to the target");
        assertEquals(List.of(), contents(outside), "nothing outside");
        assertFalse(Files.exists(tmp.resolve("pwned")));
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "a/b", "../pwned", "/pwned", "x\0y", "\0"})
    void unsafeFileNamesAreRefused(String name) throws Exception {
        Id root = tree(repo, file(utf8("aaa-good-first.txt"), utf8("good\n"), repo), file(utf8(name), utf8("pwned\n"), repo));
        UnsafeSnapshotException e = refused(snapshot(repo, root));
        assertTrue(e.getMessage().contains("unsafe file name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "a/b", "../.."})
    void unsafeDirectoryNamesDeepInTheTreeAreRefusedBeforeAnythingIsWritten(String name) throws Exception {
        Id payload = tree(repo, file(utf8("pwned"), utf8("pwned\n"), repo));
        Id inner = tree(repo, file(utf8("0-good.txt"), utf8("good\n"), repo), dir(utf8(name), payload));
        Id root = tree(repo, file(utf8("aaa.txt"), utf8("good\n"), repo), dir(utf8("ok"), inner));
        UnsafeSnapshotException e = refused(snapshot(repo, root));
        assertTrue(e.getMessage().contains("/ok"), "the message should say where: " + e.getMessage());
    }

    @Test
    void symlinkAndDirectoryWithTheSameNameAreRefused() throws Exception {
        // restoring evil -> outside first and then evil/pwned would write through the link
        Id payload = tree(repo, file(utf8("pwned"), utf8("pwned\n"), repo));
        Id root = rawTree(repo, symlink(utf8("evil"), outside.toString()), dir(utf8("evil"), payload));
        UnsafeSnapshotException e = refused(snapshot(repo, root));
        assertTrue(e.getMessage().contains("evil") && e.getMessage().contains("twice"), e.getMessage());
        // also with the directory listed first, and with an absolute /tmp/outside target
        Id reversed = rawTree(repo, dir(utf8("evil"), payload), symlink(utf8("evil"), "/tmp/outside"));
        refused(snapshot(repo, reversed));
        assertFalse(Files.exists(Path.of("/tmp/outside/pwned")));
    }

    @Test
    void duplicateFileNamesAreRefused() throws Exception {
        Id root = rawTree(repo, file(utf8("dup"), utf8("one\n"), repo), file(utf8("dup"), utf8("two\n"), repo));
        assertTrue(refused(snapshot(repo, root)).getMessage().contains("dup"));
    }

    @Test
    void duplicatesDeepInsideAreRefusedToo() throws Exception {
        Id inner = rawTree(repo, file(utf8("x"), utf8("1"), repo), file(utf8("x"), utf8("2"), repo));
        Id root = tree(repo, file(utf8("a"), utf8("a"), repo), dir(utf8("d"), inner));
        refused(snapshot(repo, root));
    }

    @Test
    void directoryWithoutSubtreeIsRefusedAsDamaged() throws Exception {
        Node noSubtree = new Node(utf8("d"), NodeType.DIR, FileMode.DIR | 0755, T, T, T, 0, 0, "", "", 0, 0, 0, 0, null,
                List.of(), 0, null, null, "");
        Id root = tree(repo, noSubtree);
        StowageException e = assertThrows(StowageException.class, () -> TestRepo.restore(repo, snapshot(repo, root), target));
        assertTrue(e.getMessage().contains("/d") && e.getMessage().contains("no subtree"), e.getMessage());
        assertEquals(List.of(), contents(target));
    }

    @Test
    void fileWithoutContentListIsRefusedAsDamaged() throws Exception {
        Node noContent = new Node(utf8("f"), NodeType.FILE, 0644, T, T, T, 0, 0, "", "", 0, 0, 5, 0, null,
                List.of(), 0, null, null, "");
        Id root = tree(repo, noContent);
        StowageException e = assertThrows(StowageException.class, () -> TestRepo.restore(repo, snapshot(repo, root), target));
        assertTrue(e.getMessage().contains("/f") && e.getMessage().contains("no content"), e.getMessage());
        assertEquals(List.of(), contents(target));
    }

    @Test
    void subtreeMissingFromTheRepositoryFailsBeforeWriting() throws Exception {
        Id root = tree(repo, file(utf8("a"), utf8("a"), repo), dir(utf8("d"), Id.hash(utf8("no such tree"))));
        StowageException e = assertThrows(StowageException.class, () -> TestRepo.restore(repo, snapshot(repo, root), target));
        assertTrue(e.getMessage().contains("not in the index"), e.getMessage());
        assertEquals(List.of(), contents(target));
    }

    /**
     * A tree cannot contain its own ID (that would need a SHA-256 fixed point, and every loaded
     * blob is checked against its ID), so a real cycle cannot be built. What can be built is the
     * same subtree shared by many directories, which must not be mistaken for a cycle.
     */
    @Test
    void sharedSubtreesAreNotCycles() throws Exception {
        Id leaf = tree(repo, file(utf8("f"), utf8("same\n"), repo));
        Id mid = tree(repo, dir(utf8("a"), leaf), dir(utf8("b"), leaf));
        Id root = tree(repo, dir(utf8("x"), mid), dir(utf8("y"), mid));
        TestRepo.restore(repo, snapshot(repo, root), target);
        assertEquals(List.of("x", "x/a", "x/a/f", "x/b", "x/b/f", "y", "y/a", "y/a/f", "y/b", "y/b/f"), contents(target));
        assertEquals("same\n", Files.readString(target.resolve("y/b/f")));
    }

    @Test
    void aBlobStoredUnderAnotherTreesIdIsRejected() throws Exception {
        // the only way to fake a cycle: an index entry claiming a blob is tree X when it is not;
        // every blob read is checked against the ID it was asked for
        Id real = tree(repo, file(utf8("f"), utf8("x"), repo));
        BlobLocation loc = repo.index().lookup(BlobType.TREE, real);
        byte[] sealed = repo.backend().load(new Handle(FileType.PACK, loc.packId().hex()), loc.blob().offset(), loc.blob().length());
        BlobLocation lying = new BlobLocation(loc.packId(), new PackedBlob(BlobType.TREE, Id.hash(utf8("another tree")),
                loc.blob().offset(), loc.blob().length(), loc.blob().uncompressedLength()));
        StowageException e = assertThrows(StowageException.class, () -> repo.openBlob(sealed, 0, lying, "data/xx/pack"));
        assertTrue(e.getMessage().contains("data/xx/pack") && e.getMessage().contains("does not match its ID"), e.getMessage());
    }

    @Test
    void restoringIntoANonEmptyTargetIsRefusedAndTouchesNothing() throws Exception {
        Files.writeString(target.resolve("precious"), "keep me\n");
        Id root = tree(repo, file(utf8("precious"), utf8("overwritten!\n"), repo));
        TargetNotEmptyException e = assertThrows(TargetNotEmptyException.class,
                () -> TestRepo.restore(repo, snapshot(repo, root), target));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals("keep me\n", Files.readString(target.resolve("precious")));
        assertEquals(List.of("precious"), contents(target));
    }

    @Test
    void restoringOntoAFileOrThroughASymlinkIsRefused() throws Exception {
        Id root = tree(repo, file(utf8("f"), utf8("x"), repo));
        Path aFile = Files.writeString(tmp.resolve("a-file-" + n), "file\n");
        StowageException e = assertThrows(StowageException.class, () -> TestRepo.restore(repo, snapshot(repo, root), aFile));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertEquals("file\n", Files.readString(aFile));
        // a target that is a symlink to an empty directory elsewhere
        Path link = Files.createSymbolicLink(tmp.resolve("link-" + n), outside);
        assertThrows(StowageException.class, () -> TestRepo.restore(repo, snapshot(repo, root), link));
        assertEquals(List.of(), contents(outside));
    }

    @Test
    void newTargetDirectoryIsCreated() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret-" + n), "secret\n");
        Id root = tree(repo, file(utf8("f"), utf8("content\n"), repo), symlink(utf8("l"), secret.toString()));
        Path fresh = target.resolve("new/deeper");
        TestRepo.restore(repo, snapshot(repo, root), fresh);
        assertEquals("content\n", Files.readString(fresh.resolve("f")));
        // symlinks are restored as links, never followed
        assertEquals(secret, Files.readSymbolicLink(fresh.resolve("l")));
        assertTrue(Files.isSymbolicLink(fresh.resolve("l")));
        assertFalse(Files.isRegularFile(fresh.resolve("l"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("secret\n", Files.readString(secret));
        Files.delete(secret);
    }

    @Test
    void includeFilterRestoresOnlyTheSelectedPart() throws Exception {
        Id sub = tree(repo, file(utf8("wanted.txt"), utf8("yes\n"), repo));
        Id other = tree(repo, file(utf8("unwanted.txt"), utf8("no\n"), repo));
        Id root = tree(repo, dir(utf8("keep"), sub), dir(utf8("skip"), other), file(utf8("top.txt"), utf8("no\n"), repo));
        RestoreOptions only = RestoreOptions.defaults().withFilter(PathFilter.of(List.of("/keep"), List.of()));
        new Restorer(repo, only, new RestoreProgress()).restore(snapshot(repo, root), target);
        assertEquals(List.of("keep", "keep/wanted.txt"), contents(target));
    }

    @Test
    void excludeFilterSkipsTheExcludedPart() throws Exception {
        Id sub = tree(repo, file(utf8("a.log"), utf8("log\n"), repo), file(utf8("a.txt"), utf8("txt\n"), repo));
        Id root = tree(repo, dir(utf8("d"), sub), file(utf8("b.log"), utf8("log\n"), repo));
        RestoreOptions noLogs = RestoreOptions.defaults().withFilter(PathFilter.of(List.of(), List.of("*.log")));
        new Restorer(repo, noLogs, new RestoreProgress()).restore(snapshot(repo, root), target);
        assertEquals(List.of("d", "d/a.txt"), contents(target));
    }

    @Test
    void dumperEdgeCases() throws Exception {
        Id blob = TestRepo.saveBlob(repo, BlobType.DATA, utf8("ab"));
        Node twice = new Node(utf8("twice"), NodeType.FILE, 0644, T, T, T, 0, 0, "", "", 0, 0, 4, 0, null, List.of(), 0,
                List.of(blob, blob), null, "");
        Node empty = new Node(utf8("empty"), NodeType.FILE, 0644, T, T, T, 0, 0, "", "", 0, 0, 0, 0, null, List.of(), 0,
                List.of(), null, "");
        Id sub = tree(repo, twice, empty);
        Snapshot s = snapshot(repo, tree(repo, dir(utf8("d"), sub), symlink(utf8("l"), "d/twice")));
        Dumper dumper = new Dumper(repo);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(4, dumper.dump(s, "/d/twice", out));
        assertEquals("abab", out.toString(java.nio.charset.StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, dumper.dump(s, "d//./empty", out));
        assertEquals(0, out.size());
        StowageException e = assertThrows(StowageException.class, () -> dumper.dump(s, "/d", out));
        assertTrue(e.getMessage().contains("/d is a dir"), e.getMessage());
        e = assertThrows(StowageException.class, () -> dumper.dump(s, "/l", out));
        assertTrue(e.getMessage().contains("symlink"), e.getMessage());
        assertThrows(dev.stowage.engine.data.SnapshotNotFoundException.class, () -> dumper.dump(s, "/d/twice/x", out));
        assertThrows(dev.stowage.engine.data.SnapshotNotFoundException.class, () -> dumper.dump(s, "/D/twice", out));
        assertThrows(StowageException.class, () -> dumper.dump(s, "/", out));
        assertEquals(0, out.size());
    }
}
