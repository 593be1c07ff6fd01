package dev.stowage.engine.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.lock.Lock;
import dev.stowage.engine.lock.RepositoryLockedException;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.RepositoryCache;
import dev.stowage.engine.walker.TreeWalker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How handlers open repositories: created on first use, locked, and the index loaded if asked. */
class RepositoriesTest {
    private static final Identity WHO = new Identity("tester", "testhost", ProcessHandle.current().pid());

    @TempDir
    Path tmp;

    private RepositoryTarget target() {
        return new RepositoryTarget(tmp.resolve("repo").toString(), "pw", Map.of());
    }

    private List<String> lockFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("repo/locks"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void theIndexIsLoadedWhileTheLockIsTaken() throws Exception {
        Files.createDirectories(tmp.resolve("src"));
        Files.writeString(tmp.resolve("src/file"), "content\n");
        Snapshot snapshot;
        // one cache per "process": a second instance does not share the first one's index
        try (Repositories.Locked created = new Repositories(new RepositoryCache(4, 1 << 20), WHO).open(target(), false, true)) {
            snapshot = new Archiver(created.repository(), BackupOptions.defaults("testhost"), new BackupProgress(false), WHO)
                    .backup(List.of(tmp.resolve("src"))).snapshot();
        }
        List<Id> content = new ArrayList<>();
        Repositories repositories = new Repositories(new RepositoryCache(4, 1 << 20), WHO);
        try (Repositories.Locked locked = repositories.open(target(), false, false, true)) {
            assertEquals(1, lockFiles().size(), "a shared lock is held");
            new TreeWalker(locked.repository()).walk(snapshot.tree(), (path, node) -> {
                if (path.endsWith("/file")) {
                    content.addAll(node.content());
                }
            });
            assertEquals(1, content.size());
            assertTrue(locked.repository().index().has(BlobType.DATA, content.get(0)), "the index is loaded");
        }
        assertEquals(List.of(), lockFiles(), "closing removes the lock");

        try (Repositories.Locked locked = repositories.open(target(), false, false)) {
            assertEquals(1, lockFiles().size());
        }
    }

    @Test
    void aConflictingLockFailsTheOpenAndLeavesOnlyThatLock() throws Exception {
        Repositories repositories = new Repositories(new RepositoryCache(4, 1 << 20), WHO);
        Id theirs;
        try (Repositories.Locked created = repositories.open(target(), false, true)) {
            theirs = created.repository().saveUnpacked(FileType.LOCK,
                    new Lock(null, GoTime.local(Instant.now()), true, "elsewhere", "someone", 4242, 0, 0).toJson());
        }
        RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                () -> repositories.open(target(), false, false, true));
        assertTrue(e.getMessage().contains("exclusive lock held by PID 4242 on elsewhere"), e.getMessage());
        assertEquals(List.of(theirs.hex()), lockFiles());
    }
}
