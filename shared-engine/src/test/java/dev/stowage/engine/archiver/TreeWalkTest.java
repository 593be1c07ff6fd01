package dev.stowage.engine.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.stowage.engine.Id;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.SnapshotSummary;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import dev.stowage.engine.walker.TreeWalker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories are walked on several threads: the snapshot must still hold every entry in its
 * place, and a parent snapshot must still be matched directory by directory.
 */
class TreeWalkTest {
    private static final Identity WHO = new Identity("tester", "testhost", ProcessHandle.current().pid());
    private static final int DEPTH = 4;
    private static final int SUBDIRS = 3;
    private static final int FILES = 5;

    @TempDir
    Path tmp;
    private Repository repo;
    private Path src;

    @BeforeEach
    void setUp() throws Exception {
        repo = Repository.init(new LocalBackend(tmp.resolve("repo")), "pw", 2, new ScryptParams(1024, 8, 1), WHO,
                RepositoryOptions.defaults());
        src = tmp.resolve("src");
        populate(src, DEPTH);
    }

    @AfterEach
    void tearDown() throws IOException {
        repo.close();
    }

    /** A directory with FILES files of distinct content and, above depth 0, SUBDIRS such directories. */
    private static void populate(Path dir, int depth) throws IOException {
        Files.createDirectories(dir);
        for (int f = 0; f < FILES; f++) {
            Files.writeString(dir.resolve("file-" + f), dir + " " + f + "\n".repeat(f * 100));
        }
        if (depth > 0) {
            for (int d = 0; d < SUBDIRS; d++) {
                populate(dir.resolve("dir-" + d), depth - 1);
            }
        }
    }

    private BackupResult backup() throws IOException {
        return new Archiver(repo, BackupOptions.defaults("testhost"), new BackupProgress(false), WHO).backup(List.of(src));
    }

    /** Path below the source → "d" or the file's size, as the snapshot records them. */
    private Map<String, String> snapshotEntries(BackupResult r) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        String prefix = src + "/";
        new TreeWalker(repo).walk(r.snapshot().tree(), (path, node) -> {
            if (path.startsWith(prefix)) {
                entries.put(path.substring(prefix.length()), node.type() == NodeType.DIR ? "d" : Long.toString(node.size()));
            }
        });
        return entries;
    }

    /** The tree of the source directory (the root tree also records the directories above it, which change). */
    private Id sourceTree(BackupResult r) throws IOException {
        List<Id> found = new ArrayList<>();
        new TreeWalker(repo).walk(r.snapshot().tree(), (path, node) -> {
            if (path.equals(src.toString())) {
                found.add(node.subtree());
            }
        });
        assertEquals(1, found.size(), "the source directory is in the snapshot once");
        return found.get(0);
    }

    private Map<String, String> sourceEntries() throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.filter(p -> !p.equals(src)).toList()) {
                entries.put(src.relativize(p).toString(), Files.isDirectory(p) ? "d" : Long.toString(Files.size(p)));
            }
        }
        return entries;
    }

    @Test
    void everyEntryLandsInItsDirectoryAndAnUnchangedTreeIsMatchedAgainstItsParent() throws Exception {
        int dirs = 0;
        for (int level = 0, n = 1; level <= DEPTH; level++, n *= SUBDIRS) {
            dirs += n;
        }
        int files = dirs * FILES;
        int ancestors = src.getNameCount() - 1; // the directories above the target, from the root down

        BackupResult first = backup();
        assertEquals(sourceEntries(), snapshotEntries(first));
        SnapshotSummary s1 = first.summary();
        assertEquals(files, s1.filesNew());
        assertEquals(dirs + ancestors, s1.dirsNew());

        BackupResult second = backup();
        SnapshotSummary s2 = second.summary();
        assertEquals(first.snapshot().id(), second.snapshot().parent(), "the first snapshot is the parent");
        assertEquals(sourceTree(first), sourceTree(second), "nothing changed, so the same tree");
        assertEquals(List.of(0L, 0L, (long) files, 0L, 0L, (long) dirs + ancestors),
                List.of(s2.filesNew(), s2.filesChanged(), s2.filesUnmodified(), s2.dirsNew(), s2.dirsChanged(),
                        s2.dirsUnmodified()));

        Path deep = src;
        for (int level = 0; level < DEPTH; level++) {
            deep = deep.resolve("dir-2");
        }
        Files.writeString(deep.resolve("file-1"), "changed, and longer than before\n");
        BackupResult third = backup();
        SnapshotSummary s3 = third.summary();
        assertNotEquals(sourceTree(second), sourceTree(third));
        assertEquals(sourceEntries(), snapshotEntries(third));
        assertEquals(List.of(0L, 1L, (long) files - 1), List.of(s3.filesNew(), s3.filesChanged(), s3.filesUnmodified()));
        // the changed file's directory and every directory above it
        assertEquals(DEPTH + 1 + ancestors, s3.dirsChanged());
        assertEquals(dirs - DEPTH - 1, s3.dirsUnmodified());
    }
}
