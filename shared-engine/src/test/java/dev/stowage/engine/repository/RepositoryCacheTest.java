package dev.stowage.engine.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.crypto.WrongPasswordException;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.forget.Forget;
import dev.stowage.engine.prune.Prune;
import dev.stowage.engine.prune.PruneOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm process reuses unlocked keys, indexes and snapshot files, and still sees every change
 * other processes make to the repository: new keys and removed ones, new index files, prune's
 * rewritten index, new and removed snapshots.
 */
class RepositoryCacheTest {
    private static final ScryptParams FAST = new ScryptParams(1024, 8, 1);
    private static final Identity WHO = new Identity("tester", "host", ProcessHandle.current().pid());

    @TempDir
    Path tmp;

    private Path repoDir() {
        return tmp.resolve("repo");
    }

    private Repository open(String password, RepositoryCache cache) throws Exception {
        return Repository.open(new LocalBackend(repoDir()), password, RepositoryOptions.defaults(), cache);
    }

    private Snapshot backup(String name, int bytes) throws Exception {
        Path src = tmp.resolve("src-" + name);
        Files.createDirectories(src);
        byte[] data = new byte[bytes];
        new Random(name.hashCode()).nextBytes(data);
        Files.write(src.resolve(name), data);
        try (Repository repo = open("pw", null)) {
            repo.loadIndex();
            return new Archiver(repo, BackupOptions.defaults("host"), new BackupProgress(false), WHO)
                    .backup(List.of(src)).snapshot();
        }
    }

    @Test
    void unlockedKeyIsReusedUntilItsKeyFileIsRemoved() throws Exception {
        Repository.init(new LocalBackend(repoDir()), "pw", 2, FAST, WHO, RepositoryOptions.defaults()).close();
        RepositoryCache cache = RepositoryCache.defaults();
        open("pw", cache).close();
        open("pw", cache).close();
        assertEquals(1, cache.keyStats().hitCount(), "the second open reused the unlocked key");
        assertThrows(WrongPasswordException.class, () -> open("other", cache));

        // another process changes the password: the cached key must not open the repository any more
        try (Repository elsewhere = open("pw", null)) {
            new Keys(elsewhere).changePassword("new", FAST, WHO);
        }
        assertThrows(WrongPasswordException.class, () -> open("pw", cache));
        open("new", cache).close();
    }

    @Test
    void indexIsExtendedWithNewFilesAndRebuiltAfterPrune() throws Exception {
        Repository.init(new LocalBackend(repoDir()), "pw", 2, FAST, WHO, RepositoryOptions.defaults()).close();
        Snapshot first = backup("a", 600_000);
        RepositoryCache cache = RepositoryCache.defaults();
        try (Repository warm = open("pw", cache)) {
            warm.loadIndex();
        }
        long readAfterFirst = cache.indexFilesRead();

        Snapshot second = backup("b", 700_000);
        Id secondFile = fileBlob(second);
        try (Repository warm = open("pw", cache)) {
            warm.loadIndex();
            assertTrue(warm.index().has(BlobType.DATA, secondFile), "the new backup's blobs are visible");
            assertEquals(readAfterFirst + 1, cache.indexFilesRead(), "only the new index file was read");
        }

        // forget + prune elsewhere rewrites the index: the cached one is dropped, not extended
        Id firstFile = fileBlob(first);
        try (Repository elsewhere = open("pw", null)) {
            elsewhere.loadIndex();
            Forget.remove(elsewhere, List.of(first.id()));
            new Prune(elsewhere, line -> { }).run(PruneOptions.defaults());
        }
        try (Repository warm = open("pw", cache)) {
            warm.loadIndex();
            assertFalse(warm.index().has(BlobType.DATA, firstFile), "pruned blobs are gone from the warm index");
            assertTrue(warm.index().has(BlobType.DATA, secondFile));
        }
    }

    @Test
    void snapshotFilesAreReusedAndTheListingStillDecides() throws Exception {
        Repository.init(new LocalBackend(repoDir()), "pw", 2, FAST, WHO, RepositoryOptions.defaults()).close();
        Snapshot first = backup("a", 1000);
        RepositoryCache cache = RepositoryCache.defaults();
        try (Repository warm = open("pw", cache)) {
            assertEquals(List.of(first.id()), Snapshots.loadAll(warm).stream().map(Snapshot::id).toList());
        }
        Snapshot second = backup("b", 1000);
        try (Repository warm = open("pw", cache)) {
            assertEquals(List.of(first.id(), second.id()), Snapshots.loadAll(warm).stream().map(Snapshot::id).toList());
            assertEquals(1, cache.snapshotStats().hitCount(), "the first snapshot came from the cache");
            Forget.remove(warm, List.of(first.id()));
            assertEquals(List.of(second.id()), Snapshots.loadAll(warm).stream().map(Snapshot::id).toList(),
                    "a removed snapshot is not listed although it is still cached");
        }
    }

    private Id fileBlob(Snapshot s) throws Exception {
        try (Repository repo = open("pw", null)) {
            repo.loadIndex();
            List<Id> found = new java.util.ArrayList<>();
            new dev.stowage.engine.walker.TreeWalker(repo).walk(s.tree(), (path, node) -> {
                if (node.content() != null && !node.content().isEmpty()) {
                    found.add(node.content().get(0));
                }
            });
            return found.get(0);
        }
    }
}
