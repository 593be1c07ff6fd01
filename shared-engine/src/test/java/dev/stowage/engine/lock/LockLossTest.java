package dev.stowage.engine.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.LockLostException;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.ForwardingBackend;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.prune.Prune;
import dev.stowage.engine.prune.PruneOptions;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import dev.stowage.engine.restorer.RestoreOptions;
import dev.stowage.engine.restorer.RestoreProgress;
import dev.stowage.engine.restorer.Restorer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock whose refreshes keep failing is lost before others may call it stale, and the operation
 * holding it stops: a backup writes no snapshot, a restore and a prune fail. Time is a clock the
 * test moves; refresh attempts run on short real intervals so that they do happen.
 */
class LockLossTest {
    private static final String PASSWORD = "lock-loss";
    /** Refresh attempts every few milliseconds, but the lock is only lost after ten minutes of the test clock. */
    private static final LockTiming FAST_REFRESH = new LockTiming(Duration.ofMillis(30), Duration.ofMillis(10), Duration.ofMinutes(10));

    @TempDir
    Path tmp;
    private Path repoDir;
    private FlakyLockWrites backend;
    private Repository repo;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final Identity me = Identity.current();

    @BeforeEach
    void createRepository() throws Exception {
        repoDir = tmp.resolve("repo");
        backend = new FlakyLockWrites(new LocalBackend(repoDir));
        repo = Repository.init(backend, PASSWORD, 2, new ScryptParams(1024, 8, 1), me, RepositoryOptions.defaults());
    }

    @AfterEach
    void close() throws Exception {
        repo.close();
    }

    private Locker locker(LockTiming timing) {
        return new Locker(repo, me, clock, timing);
    }

    private List<String> files(String dir) throws IOException {
        try (Stream<Path> s = Files.walk(repoDir.resolve(dir))) {
            return s.filter(Files::isRegularFile).map(p -> repoDir.relativize(p).toString()).sorted().toList();
        }
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void defaultTimingIsRestics() {
        assertEquals(Duration.ofMinutes(5), LockTiming.DEFAULT.refreshInterval());
        assertEquals(Duration.ofMinutes(30), LockTiming.DEFAULT.staleAfter());
        assertEquals(Duration.ofSeconds(22 * 60 + 30), LockTiming.DEFAULT.abortAfter());
        assertThrows(IllegalArgumentException.class,
                () -> new LockTiming(Duration.ofMinutes(20), Duration.ofMinutes(1), Duration.ofMinutes(30)));
    }

    @Test
    void failingRefreshesLoseTheLockAtTheDeadlineAndStopAllRepositoryAccess() throws Exception {
        backend.allowLockWrites(1); // the lock itself; every refresh fails
        LockHandle h = locker(FAST_REFRESH).lock(false);
        Instant taken = h.refreshedAt();
        assertEquals(clock.instant(), taken);
        waitFor("refresh attempts", () -> backend.refusedLockWrites.get() >= 3);

        clock.advance(Duration.ofMinutes(9).plusSeconds(50));
        assertFalse(h.isLost(), "failed refreshes alone do not lose the lock before the deadline");
        h.check();
        repo.listIds(FileType.SNAPSHOT);

        clock.advance(Duration.ofSeconds(20)); // 10 min 10 s since the last successful write, beyond 10 min - 45 ms
        assertTrue(h.isLost());
        LockLostException e = assertThrows(LockLostException.class, h::check);
        assertTrue(e.getMessage().startsWith("repository lock lost: not refreshed since " + GoTime.format(GoTime.local(taken))),
                e.getMessage());
        assertTrue(e.getMessage().contains("injected: lock write refused"), e.getMessage());

        // every access but to lock files now fails
        assertThrows(LockLostException.class, () -> repo.listIds(FileType.SNAPSHOT));
        assertThrows(LockLostException.class, () -> repo.saveUnpacked(FileType.SNAPSHOT, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(LockLostException.class, () -> repo.backend().create(FileType.PACK));
        assertEquals(List.of(), files("snapshots"));
        int attempts = backend.refusedLockWrites.get();
        Thread.sleep(100);
        assertEquals(attempts, backend.refusedLockWrites.get(), "a lost lock is no longer refreshed");

        h.close();
        assertEquals(List.of(), files("locks"), "closing still removes the lock file");
        repo.listIds(FileType.SNAPSHOT); // the repository is usable again without the lost lock
    }

    @Test
    void aRefreshThatSucceedsInTimeMovesTheDeadline() throws Exception {
        backend.allowLockWrites(1);
        try (LockHandle h = locker(FAST_REFRESH).lock(true)) {
            Id first = h.lock().id();
            waitFor("a failed refresh", () -> backend.refusedLockWrites.get() >= 1);
            clock.advance(Duration.ofMinutes(8));
            backend.allowLockWrites(Integer.MAX_VALUE);
            waitFor("a successful refresh", () -> h.refreshedAt().equals(clock.instant()));
            assertNotEquals(first, h.lock().id());
            assertEquals(List.of("locks/" + h.lock().id().hex()), files("locks"), "the old lock file was replaced");
            clock.advance(Duration.ofMinutes(8));
            assertFalse(h.isLost(), "16 minutes after taking it, but 8 after the last refresh");
            h.check();
        }
        assertEquals(List.of(), files("locks"));
    }

    @Test
    void refreshWithTheRealClockKeepsTheLockFresh() throws Exception {
        LockTiming quick = new LockTiming(Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(2000));
        try (LockHandle h = new Locker(repo, me, Clock.systemUTC(), quick).lock(false)) {
            Id first = h.lock().id();
            Thread.sleep(3000); // longer than the lock may go unrefreshed (1.85 s)
            assertFalse(h.isLost());
            h.check();
            assertNotEquals(first, h.lock().id());
            assertEquals(List.of("locks/" + h.lock().id().hex()), files("locks"));
        }
    }

    @Test
    void backupWritesNoSnapshotOnceTheLockIsLost() throws Exception {
        backend.allowLockWrites(1);
        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        // the stream takes "23 minutes" to read: by its end, the lock has gone unrefreshed too long
        InputStream slow = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n < 0 && clock.instant().isBefore(Instant.parse("2026-11-21T10:20:00Z"))) {
                    clock.advance(Duration.ofMinutes(23));
                }
                return n;
            }
        };
        try (LockHandle h = locker(LockTiming.DEFAULT).lock(false)) {
            Archiver archiver = new Archiver(repo, BackupOptions.defaults("host"), new BackupProgress(false), me);
            LockLostException e = assertThrows(LockLostException.class, () -> archiver.backupStream(slow, "db.sql"));
            assertTrue(e.getMessage().startsWith("repository lock lost: not refreshed since "), e.getMessage());
            assertTrue(h.isLost());
        }
        assertEquals(List.of(), files("snapshots"), "no snapshot may be written without a lock");
        assertEquals(List.of(), files("index"));
        assertEquals(List.of(), files("data"), "the unfinished pack was discarded");
        assertEquals(List.of(), files("locks"));
    }

    @Test
    void restoreAndPruneStopOnceTheLockIsLost() throws Exception {
        Snapshot snapshot;
        try (LockHandle h = locker(LockTiming.DEFAULT).lock(false)) {
            byte[] data = "some content\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            snapshot = new Archiver(repo, BackupOptions.defaults("host"), new BackupProgress(false), me)
                    .backupStream(new ByteArrayInputStream(data), "file.txt").snapshot();
        }
        repo.loadIndex();
        List<String> packs = files("data");
        backend.allowLockWrites(1);

        try (LockHandle h = locker(LockTiming.DEFAULT).lock(false)) {
            clock.advance(Duration.ofMinutes(23));
            Path target = tmp.resolve("restore");
            LockLostException e = assertThrows(LockLostException.class,
                    () -> new Restorer(repo, RestoreOptions.defaults(), new RestoreProgress()).restore(snapshot, target));
            assertTrue(e.getMessage().startsWith("repository lock lost"), e.getMessage());
            assertFalse(Files.exists(target.resolve("file.txt")), "no file is left half-restored");
        }

        backend.allowLockWrites(1);
        try (LockHandle h = locker(LockTiming.DEFAULT).lock(true)) {
            // forget the snapshot by hand, so prune has something to delete
            repo.backend().remove(new Handle(FileType.SNAPSHOT, snapshot.id().hex()));
            clock.advance(Duration.ofMinutes(23));
            assertThrows(LockLostException.class, () -> new Prune(repo, line -> { }).run(PruneOptions.defaults()));
        }
        assertEquals(packs, files("data"), "prune deleted nothing");
        assertEquals(List.of(), Snapshots.loadAll(repo));
    }

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A local repository whose lock writes fail once a given number have succeeded. */
    private static final class FlakyLockWrites extends ForwardingBackend {
        private final AtomicInteger lockWritesLeft = new AtomicInteger(Integer.MAX_VALUE);
        final AtomicInteger refusedLockWrites = new AtomicInteger();

        FlakyLockWrites(Backend backend) {
            super(backend);
        }

        /** From now on, let {@code n} lock writes through and refuse the rest. */
        void allowLockWrites(int n) {
            lockWritesLeft.set(n);
        }

        @Override
        public void save(Handle handle, List<byte[]> parts) throws IOException {
            if (handle.type() == FileType.LOCK && lockWritesLeft.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                refusedLockWrites.incrementAndGet();
                throw new IOException("injected: lock write refused");
            }
            super.save(handle, parts);
        }
    }
}
