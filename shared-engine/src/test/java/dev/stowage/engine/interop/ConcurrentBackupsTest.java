package dev.stowage.engine.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four backups into one repository at the same time, each through its own repository handle and
 * lock as four pods would: every snapshot is there, every lock is released, and restic 0.14's
 * {@code check --read-data} passes.
 */
class ConcurrentBackupsTest {
    private static final int BACKUPS = 4;

    @TempDir
    Path tmp;

    @Test
    void fourConcurrentBackupsAllLandAndCheckClean() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Random random = new Random(4);
        byte[] shared = new byte[3 << 20];
        random.nextBytes(shared);
        Identity setup = new Identity("tester", "host-0", 1);
        Repository.init(new LocalBackend(repoDir), "pw", 2, new ScryptParams(1024, 8, 1), setup,
                RepositoryOptions.defaults()).close();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < BACKUPS; i++) {
            Path src = tmp.resolve("src" + i);
            Files.createDirectories(src);
            Files.write(src.resolve("shared.bin"), shared);
            byte[] own = new byte[2 << 20];
            random.nextBytes(own);
            Files.write(src.resolve("own.bin"), own);
            for (int f = 0; f < 50; f++) {
                Files.writeString(src.resolve("small" + f + ".txt"), "pod " + i + " file " + f + "\n");
            }
            sources.add(src);
        }

        ExecutorService pods = Executors.newFixedThreadPool(BACKUPS);
        List<Future<Snapshot>> runs = new ArrayList<>();
        for (int i = 0; i < BACKUPS; i++) {
            Path src = sources.get(i);
            Identity pod = new Identity("tester", "pod-" + i, ProcessHandle.current().pid());
            Callable<Snapshot> backup = () -> {
                try (Repository repo = Repository.open(new LocalBackend(repoDir), "pw", RepositoryOptions.defaults());
                     LockHandle lock = new Locker(repo, pod).lock(false)) {
                    repo.loadIndex();
                    return new Archiver(repo, BackupOptions.defaults(pod.hostname()), new BackupProgress(false), pod)
                            .backup(List.of(src)).snapshot();
                }
            };
            runs.add(pods.submit(backup));
        }
        Set<Id> made = new java.util.HashSet<>();
        for (Future<Snapshot> run : runs) {
            made.add(run.get(5, TimeUnit.MINUTES).id());
        }
        pods.shutdown();

        try (Repository repo = Repository.open(new LocalBackend(repoDir), "pw", RepositoryOptions.defaults())) {
            List<Snapshot> all = Snapshots.loadAll(repo);
            assertEquals(made, all.stream().map(Snapshot::id).collect(Collectors.toSet()));
            assertEquals(Set.of("pod-0", "pod-1", "pod-2", "pod-3"),
                    all.stream().map(Snapshot::hostname).collect(Collectors.toSet()));
            assertEquals(List.of(), new Locker(repo, setup).list(), "every lock was released");
        }
        Restic.Result check = new Restic(repoDir, "pw").run(null, null, "check", "--read-data");
        assertEquals(0, check.exit(), check.describe());
        assertTrue(check.out().contains("no errors were found"), check.describe());
    }
}
