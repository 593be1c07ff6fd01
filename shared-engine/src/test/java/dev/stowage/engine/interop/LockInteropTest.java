package dev.stowage.engine.interop;

import dev.stowage.engine.lock.Lock;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.lock.RepositoryLockedException;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.repository.Identity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each tool reads the other's lock files and honours them. */
class LockInteropTest {
    @Test
    void resticHonoursStowageLocks(@TempDir Path tmp) throws IOException {
        Path repoDir = tmp.resolve("repo");
        Restic restic = new Restic(repoDir, StowageRepo.PASSWORD);
        try (StowageRepo s = StowageRepo.init(repoDir, 2, Compression.AUTO)) {
            try (LockHandle lock = new Locker(s.repository(), Identity.current()).lock(false)) {
                // check wants an exclusive lock: it must read our shared one and give up
                Restic.Result r = restic.run(null, null, "check");
                assertEquals(1, r.exit(), r::describe);
                assertTrue(r.stderr().contains("repository is already locked"), r::describe);
                assertTrue(r.stderr().contains("locked by PID " + ProcessHandle.current().pid() + " "), r::describe);
                assertTrue(r.stderr().contains("storage ID " + lock.lock().id().shortHex()), r::describe);
            }
        }
        restic.ok("check");
    }

    @Test
    void stowageHonoursResticLocks(@TempDir Path tmp) throws Exception {
        Path repoDir = tmp.resolve("repo");
        Restic restic = new Restic(repoDir, "restic-pw");
        restic.ok("init");
        // a stdin backup holds restic's shared lock until its input ends
        Process backup = restic.start("backup", "--stdin", "--stdin-filename", "slow.txt");
        try (StowageRepo s = StowageRepo.open(repoDir, "restic-pw")) {
            Locker locker = new Locker(s.repository(), Identity.current());
            List<Lock> locks = waitForLocks(locker);
            assertEquals(1, locks.size());
            Lock theirs = locks.get(0);
            assertEquals(backup.pid(), theirs.pid());
            assertFalse(theirs.exclusive());
            assertFalse(locker.isStale(theirs));
            assertThrows(RepositoryLockedException.class, () -> locker.lock(true));
            locker.lock(false).close(); // shared locks coexist

            try (OutputStream in = backup.getOutputStream()) {
                in.write("written while locked\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(backup.waitFor(60, TimeUnit.SECONDS), "restic backup did not finish");
            assertEquals(0, backup.exitValue(), () -> new String(readAll(backup), StandardCharsets.UTF_8));
            locker.lock(true).close();
            assertEquals(List.of(), locker.list());
        } finally {
            backup.destroy();
        }
    }

    private static List<Lock> waitForLocks(Locker locker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<Lock> locks = locker.list();
            if (!locks.isEmpty()) {
                return locks;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("restic did not take a lock within 30 s");
    }

    private static byte[] readAll(Process p) {
        try {
            return p.getErrorStream().readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
