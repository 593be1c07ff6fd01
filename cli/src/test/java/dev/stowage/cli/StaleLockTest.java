package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.lock.Lock;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock left by a killed process (the classic Stash/K8up complaint) does not block the next
 * backup: it is removed with a warning naming it. {@code unlock} removes stale locks only, and
 * {@code unlock --remove-all} every lock.
 */
class StaleLockTest {
    @TempDir
    Path tmp;

    @Test
    void backupRemovesALockOfAProcessThatIsGone() throws Exception {
        Path repo = tmp.resolve("repo");
        Cli cli = Cli.forRepository(repo);
        cli.ok("init");
        Cli.write(tmp.resolve("src/a.txt"), "a\n");
        long dead = deadPid();
        Id planted = plant(repo, Instant.now(), Identity.current().hostname(), dead);

        Cli.Run backup = cli.ok("backup", tmp.resolve("src").toString());
        assertTrue(backup.err().startsWith("warning: removed stale"), backup.err());
        assertTrue(backup.err().contains("PID " + dead) && backup.err().contains(planted.hex()), backup.err());
        assertEquals(List.of(), lockFiles(repo), "the stale lock and our own are gone");
    }

    @Test
    void unlockRemovesStaleLocksAndRemoveAllEveryLock() throws Exception {
        Path repo = tmp.resolve("repo");
        Cli cli = Cli.forRepository(repo);
        cli.ok("init");
        Id stale = plant(repo, Instant.now().minusSeconds(3600), "otherhost", 42);
        Id live = plant(repo, Instant.now(), "otherhost", 43);

        Cli.Run unlock = cli.ok("unlock");
        assertTrue(unlock.out().contains(stale.hex()) && unlock.out().contains("not refreshed for more than 30 minutes"),
                unlock.out());
        assertTrue(unlock.out().strip().endsWith("successfully removed locks"), unlock.out());
        assertEquals(List.of(live.hex()), lockFiles(repo), "a live lock of another host stays");

        // that live lock still blocks a backup
        Cli.write(tmp.resolve("src/a.txt"), "a\n");
        Cli.Run blocked = cli.run("backup", tmp.resolve("src").toString()).assertExit(11);
        assertTrue(blocked.err().contains("PID 43"), blocked.err());
        cli.ok("unlock", "--remove-all");
        assertEquals(List.of(), lockFiles(repo));
        cli.ok("backup", tmp.resolve("src").toString());
    }

    private static Id plant(Path repo, Instant time, String host, long pid) throws Exception {
        try (Repository r = Repository.open(new LocalBackend(repo), Cli.PASSWORD, RepositoryOptions.defaults())) {
            return r.saveUnpacked(FileType.LOCK,
                    new Lock(null, GoTime.local(time), true, host, "someone", pid, 0, 0).toJson());
        }
    }

    private static List<String> lockFiles(Path repo) throws Exception {
        try (Stream<Path> s = Files.list(repo.resolve("locks"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertTrue(ProcessHandle.of(p.pid()).isEmpty());
        return p.pid();
    }
}
