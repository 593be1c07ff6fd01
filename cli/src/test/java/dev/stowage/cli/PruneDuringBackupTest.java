package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune started while a backup runs is refused (exit 11, naming the backup's lock) and changes
 * nothing; once the backup has finished, prune runs. Pruning during a backup would delete the
 * packs the backup has written but not yet indexed.
 */
class PruneDuringBackupTest {
    @TempDir
    Path tmp;

    @Test
    void pruneIsRefusedWhileABackupHoldsItsLock() throws Exception {
        Path repo = tmp.resolve("repo");
        Cli cli = Cli.forRepository(repo);
        cli.ok("init");
        Cli.write(tmp.resolve("src/a.txt"), "a\n");
        cli.ok("backup", tmp.resolve("src").toString());
        List<String> before = files(repo);

        Identity backupPod = new Identity("backup", Identity.current().hostname(), ProcessHandle.current().pid());
        try (Repository r = Repository.open(new LocalBackend(repo), Cli.PASSWORD, RepositoryOptions.defaults());
             LockHandle running = new Locker(r, backupPod).lock(false)) {
            Cli.Run prune = cli.run("prune").assertExit(StowageCommand.EXIT_LOCKED);
            assertTrue(prune.err().contains("PID " + backupPod.pid()), prune.err());
            List<String> during = files(repo);
            during.remove("locks/" + running.lock().id().hex());
            assertEquals(before, during, "the refused prune changed nothing");
        }
        cli.ok("prune");
    }

    private static List<String> files(Path repo) throws Exception {
        try (Stream<Path> s = Files.walk(repo)) {
            return new java.util.ArrayList<>(s.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString())
                    .sorted().toList());
        }
    }
}
