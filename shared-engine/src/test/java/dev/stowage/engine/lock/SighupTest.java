package dev.stowage.engine.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * restic's {@code unlock} on the same host sends SIGHUP to the PIDs of young same-host locks; a
 * JVM dies of SIGHUP by default. This test's own JVM takes a lock and signals itself: if the
 * handler were missing, the test JVM would terminate and the run would fail.
 */
final class SighupTest {
    @TempDir
    Path dir;

    @Test
    void holdingALockSurvivesSighup() throws Exception {
        Identity me = Identity.current();
        try (Repository repo = Repository.init(new LocalBackend(dir.resolve("repo")), "pw", 2,
                ScryptParams.defaults(), me, RepositoryOptions.defaults());
             LockHandle lock = new Locker(repo, me).lock(false)) {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, kill.exitValue());
            // give the signal time to be delivered and (if unhandled) to kill us
            Thread.sleep(500);
            assertEquals(1, new Locker(repo, me).list().size(), "the lock is still held and listed");
            assertEquals(me.pid(), lock.lock().pid());
        }
    }
}
