package dev.stowage.engine.lock;

import dev.stowage.engine.Id;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.ForwardingBackend;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** restic-compatible locks: conflicts, staleness, cleanup, and restic 0.14 reading ours and we reading its. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockerTest {
    private static final String PASSWORD = "unit-test";
    private static final Path RESTIC = Path.of("/usr/bin/restic");

    private Path repoDir;
    private Repository repo;
    private final Identity here = Identity.current();

    /** One repository for all tests; each test must leave no lock file behind (checked after it). */
    @BeforeAll
    void createRepository(@TempDir Path tmp) throws Exception {
        repoDir = tmp.resolve("repo");
        repo = Repository.init(new LocalBackend(repoDir), PASSWORD, 2, new ScryptParams(1024, 8, 1), here,
                RepositoryOptions.defaults());
    }

    @AfterEach
    void removeLeftoverLocks() throws Exception {
        for (String name : lockFiles()) {
            Files.delete(repoDir.resolve("locks").resolve(name));
        }
    }

    @AfterAll
    void close() throws Exception {
        repo.close();
    }

    private Locker locker(String host, long pid) {
        return new Locker(repo, new Identity("user-" + pid, host, pid));
    }

    private List<String> lockFiles() throws IOException {
        try (var s = Files.list(repoDir.resolve("locks"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A lock file as another process would have written it. */
    private Id plantLock(OffsetDateTime time, boolean exclusive, String host, long pid) throws IOException {
        return repo.saveUnpacked(FileType.LOCK, new Lock(null, time, exclusive, host, "someone", pid, 0, 0).toJson());
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertTrue(ProcessHandle.of(pid).isEmpty());
        return pid;
    }

    @Test
    void lockJsonIsResticsFormat() {
        OffsetDateTime t = OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 123_000_000, ZoneOffset.UTC);
        Lock l = new Lock(null, t, false, "vm", "root", 10420, 0, 0);
        assertEquals("{\"time\":\"2022-01-02T03:04:05.123Z\",\"exclusive\":false,\"hostname\":\"vm\",\"username\":\"root\",\"pid\":10420}",
                new String(l.toJson(), StandardCharsets.UTF_8));
        Lock withIds = new Lock(null, t, true, "vm", "u", 1, 1000, 100);
        byte[] json = withIds.toJson();
        assertEquals("{\"time\":\"2022-01-02T03:04:05.123Z\",\"exclusive\":true,\"hostname\":\"vm\",\"username\":\"u\",\"pid\":1,"
                + "\"uid\":1000,\"gid\":100}", new String(json, StandardCharsets.UTF_8));
        Id id = Id.hash(json);
        assertEquals(withIds.withId(id), Lock.parse(id, json));
        assertArrayEquals(json, Lock.parse(id, json).toJson());
    }

    @Test
    void twoSharedLocksCoexistAndAreRemovedOnClose() throws Exception {
        try (LockHandle a = locker(here.hostname(), 111).lock(false);
             LockHandle b = locker("elsewhere", 222).lock(false)) {
            assertEquals(2, lockFiles().size());
            assertNotEquals(a.lock().id(), b.lock().id());
            assertEquals(List.of(a.lock().id().hex(), b.lock().id().hex()).stream().sorted().toList(), lockFiles());
            List<Lock> listed = locker("x", 1).list();
            assertEquals(2, listed.size());
            assertTrue(listed.stream().noneMatch(Lock::exclusive));
        }
        assertEquals(List.of(), lockFiles(), "closing removes the lock files");
    }

    @Test
    void exclusiveLockIsBlockedBySharedOneNamingItsHolder() throws Exception {
        try (LockHandle shared = locker("hostA", ProcessHandle.current().pid()).lock(false)) {
            RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                    () -> locker("hostB", 333).lock(true));
            String m = e.getMessage();
            assertTrue(m.contains("PID " + ProcessHandle.current().pid()) && m.contains("hostA") && m.contains("shared lock"), m);
            assertTrue(m.contains(repoDir.toString()), m);
            assertEquals(List.of(shared.lock().id().hex()), lockFiles(), "the refused attempt leaves no lock behind");
        }
        // once released, the exclusive lock can be taken
        try (LockHandle exclusive = locker("hostB", 333).lock(true)) {
            assertTrue(exclusive.lock().exclusive());
        }
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void exclusiveLockBlocksSharedAndExclusiveOnes() throws Exception {
        try (LockHandle ex = locker("hostA", 444).lock(true)) {
            RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> locker("hostB", 555).lock(false));
            assertTrue(e.getMessage().contains("exclusive lock held by PID 444 on hostA"), e.getMessage());
            assertThrows(RepositoryLockedException.class, () -> locker("hostB", 555).lock(true));
            assertEquals(1, lockFiles().size());
        }
    }

    @Test
    void onABackendThatMayListLateTheSecondLookComes200msAfterTheLockFile() throws Exception {
        List<Long> lockListings = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Repository late = Repository.open(new LockListingRecorder(new LocalBackend(repoDir), false, lockListings), PASSWORD,
                RepositoryOptions.defaults())) {
            long[] meanwhile = new long[2];
            List<List<String>> filesMeanwhile = new java.util.ArrayList<>();
            Locker locker = new Locker(late, new Identity("user-666", "hostA", 666));
            try (LockHandle handle = locker.lock(false, () -> {
                meanwhile[0] = System.nanoTime();
                filesMeanwhile.add(lockFiles());
                meanwhile[1] = System.nanoTime();
            })) {
                assertEquals(List.of(List.of(handle.lock().id().hex())), filesMeanwhile, "the lock file is written first");
                assertEquals(2, lockListings.size(), "a look before writing the lock file and one after");
                long secondLook = lockListings.get(1);
                assertTrue(secondLook - meanwhile[1] >= TimeUnit.MILLISECONDS.toNanos(150),
                        "a quick read leaves most of the 200 ms pause to wait: the second look came "
                                + (secondLook - meanwhile[1]) / 1_000_000 + " ms after it");
            }
        }
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void onALocalRepositoryTheSecondLookFollowsTheWorkDoneMeanwhileAtOnce() throws Exception {
        assertTrue(new LocalBackend(repoDir).listsNewFilesAtOnce());
        List<Long> lockListings = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Repository local = Repository.open(new LockListingRecorder(new LocalBackend(repoDir), true, lockListings), PASSWORD,
                RepositoryOptions.defaults())) {
            long[] meanwhileEnd = new long[1];
            Locker locker = new Locker(local, new Identity("user-667", "hostA", 667));
            try (LockHandle handle = locker.lock(false, () -> meanwhileEnd[0] = System.nanoTime())) {
                assertEquals(2, lockListings.size(), "a look before writing the lock file and one after");
                // with restic's pause it would come 200 ms after the lock file was written
                assertTrue(lockListings.get(1) - meanwhileEnd[0] < TimeUnit.MILLISECONDS.toNanos(150),
                        "the second look came " + (lockListings.get(1) - meanwhileEnd[0]) / 1_000_000 + " ms after the work");
                assertEquals(List.of(handle.lock().id().hex()), lockFiles());
            }
        }
        assertEquals(List.of(), lockFiles());
    }

    /** Says whether it lists new files at once, and notes when lock files are listed. */
    private static final class LockListingRecorder extends ForwardingBackend {
        private final boolean listsAtOnce;
        private final List<Long> lockListings;

        LockListingRecorder(Backend inner, boolean listsAtOnce, List<Long> lockListings) {
            super(inner);
            this.listsAtOnce = listsAtOnce;
            this.lockListings = lockListings;
        }

        @Override
        public boolean listsNewFilesAtOnce() {
            return listsAtOnce;
        }

        @Override
        public List<String> list(FileType type) throws IOException {
            if (type == FileType.LOCK) {
                lockListings.add(System.nanoTime());
            }
            return super.list(type);
        }
    }

    @Test
    void aConflictingLockWrittenMeanwhileFailsTheLockAndOursIsRemoved() throws Exception {
        Id[] theirs = new Id[1];
        // another process's exclusive lock, written between our two looks
        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> locker("hostA", 777).lock(false,
                () -> theirs[0] = plantLock(GoTime.local(Instant.now()), true, "hostB", 888)));
        assertTrue(e.getMessage().contains("exclusive lock held by PID 888 on hostB"), e.getMessage());
        assertEquals(List.of(theirs[0].hex()), lockFiles(), "only their lock is left");
    }

    @Test
    void aFailureMeanwhileRemovesTheLockFile() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> locker("hostA", 999).lock(true, () -> {
                    throw new IOException("index unreadable");
                }));
        assertEquals("index unreadable", e.getMessage());
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void lockOfADeadProcessOnThisHostIsRemovedAndReported() throws Exception {
        long dead = deadPid();
        Id planted = plantLock(GoTime.local(Instant.now()), true, here.hostname(), dead);
        Locker me = locker(here.hostname(), ProcessHandle.current().pid());
        Lock lock = me.list().get(0);
        assertEquals(planted, lock.id());
        assertTrue(me.isStale(lock));
        try (LockHandle h = me.lock(false)) {
            assertEquals(1, h.removedStaleLocks().size());
            StaleLock removed = h.removedStaleLocks().get(0);
            assertEquals(planted, removed.lock().id());
            String m = removed.describe();
            assertTrue(m.contains("PID " + dead) && m.contains("no longer exists") && m.contains("locks/" + planted.hex()), m);
            assertEquals(List.of(h.lock().id().hex()), lockFiles(), "only our own lock is left");
        }
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void staleSharedLockIsRemovedEvenThoughItDoesNotConflict() throws Exception {
        // a killed backup leaves a shared lock; the next backup must not leave it to block prune or check
        long dead = deadPid();
        Id planted = plantLock(GoTime.local(Instant.now()), false, here.hostname(), dead);
        try (LockHandle h = locker(here.hostname(), ProcessHandle.current().pid()).lock(false)) {
            assertEquals(List.of(planted), h.removedStaleLocks().stream().map(l -> l.lock().id()).toList());
            assertEquals(List.of(h.lock().id().hex()), lockFiles());
        }
    }

    @Test
    void lockOlderThanThirtyMinutesIsRemovedWhateverTheHost() throws Exception {
        OffsetDateTime old = GoTime.local(Instant.now().minus(Duration.ofMinutes(31)));
        Id planted = plantLock(old, false, "otherhost", ProcessHandle.current().pid());
        Locker me = locker(here.hostname(), 1);
        assertTrue(me.isStale(me.list().get(0)));
        try (LockHandle h = me.lock(true)) {
            assertEquals(List.of(planted), h.removedStaleLocks().stream().map(l -> l.lock().id()).toList());
            assertTrue(h.removedStaleLocks().get(0).reason().contains("not refreshed for more than 30 minutes"));
        }
    }

    @Test
    void unlockRemovesOnlyStaleLocksUnlessAskedForAll() throws Exception {
        Id stale = plantLock(GoTime.local(Instant.now().minus(Duration.ofMinutes(45))), true, "otherhost", 7);
        Id live = plantLock(GoTime.local(Instant.now()), false, "otherhost", 8);
        Locker me = locker(here.hostname(), 1);
        assertEquals(List.of(stale), me.removeStale(false).stream().map(l -> l.lock().id()).toList());
        assertEquals(List.of(live.hex()), lockFiles());
        assertEquals(List.of(live), me.removeStale(true).stream().map(l -> l.lock().id()).toList());
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void freshLocksAreNotStale() throws Exception {
        long dead = deadPid();
        Locker me = locker(here.hostname(), 1);
        OffsetDateTime now = GoTime.local(Instant.now());
        // another host's process cannot be checked from here: only age makes it stale
        assertFalse(me.isStale(new Lock(null, now, true, "otherhost", "u", dead, 0, 0)));
        // a live process on this host
        assertFalse(me.isStale(new Lock(null, now, true, here.hostname(), "u", ProcessHandle.current().pid(), 0, 0)));
        assertFalse(me.isStale(new Lock(null, GoTime.local(Instant.now().minus(Duration.ofMinutes(29))), true,
                "otherhost", "u", 1, 0, 0)));
        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> {
            plantLock(now, true, "otherhost", dead);
            me.lock(false);
        });
        assertFalse(e.getMessage().contains("stale"), e.getMessage());
    }

    @Test
    void unreadableLockFilesDoNotBlock() throws Exception {
        // restic 0.14 ignores lock files it cannot load
        byte[] garbage = "not an encrypted lock".getBytes(StandardCharsets.UTF_8);
        repo.backend().save(new Handle(FileType.LOCK, Id.hash(garbage).hex()), garbage);
        Locker me = locker(here.hostname(), 1);
        assertEquals(List.of(), me.list());
        try (LockHandle h = me.lock(true)) {
            assertTrue(h.lock().exclusive());
        }
        assertEquals(List.of(Id.hash(garbage).hex()), lockFiles());
    }

    @Test
    void refreshWritesANewLockFileAndRemovesTheOldOne() throws Exception {
        Locker me = new Locker(repo, here);
        try (LockHandle h = me.lock(false)) {
            Lock before = h.lock();
            Thread.sleep(5);
            Lock after = me.refresh(before);
            assertNotEquals(before.id(), after.id());
            assertTrue(after.time().isAfter(before.time()));
            assertEquals(List.of(after.id().hex()), lockFiles());
            me.remove(after.id());
        }
        assertEquals(List.of(), lockFiles());
    }

    private static Process restic(Path repoDir, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(RESTIC.toString(), "-r", repoDir.toString(), "--no-cache"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("RESTIC_PASSWORD", PASSWORD);
        env.put("HOME", repoDir.getParent().toString());
        return pb.start();
    }

    private static String run(Path repoDir, int expectedExit, String... args) throws Exception {
        Process p = restic(repoDir, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), "restic " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void restic014ReadsOurLockAndRespectsIt() throws Exception {
        assumeTrue(Files.isExecutable(RESTIC), "restic 0.14 is not installed");
        Locker me = new Locker(repo, here);
        try (LockHandle h = me.lock(false)) {
            String id = h.lock().id().hex();
            assertEquals(id, run(repoDir, 0, "list", "locks", "--no-lock").trim());
            String cat = run(repoDir, 0, "cat", "lock", id, "--no-lock");
            assertTrue(cat.contains("\"pid\": " + here.pid()) && cat.contains("\"hostname\": \"" + here.hostname() + "\"")
                    && cat.contains("\"exclusive\": false"), cat);
            // check needs an exclusive lock: restic must refuse because of ours, naming our PID
            String check = run(repoDir, 1, "check");
            assertTrue(check.contains("repository is already locked by PID " + here.pid() + " on " + here.hostname()), check);
        }
        assertEquals(List.of(), lockFiles());
        assertTrue(run(repoDir, 0, "check").contains("no errors were found"));
    }

    @Test
    void weReadResticsLockAndRespectIt() throws Exception {
        assumeTrue(Files.isExecutable(RESTIC), "restic 0.14 is not installed");
        // a stdin backup holds its shared lock until stdin is closed
        Process backup = restic(repoDir, "backup", "--stdin", "--stdin-filename", "x.sql", "--host", "restichost");
        try {
            Locker me = new Locker(repo, here);
            List<Lock> locks = List.of();
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); locks.isEmpty() && System.nanoTime() < end; ) {
                Thread.sleep(50);
                locks = me.list();
            }
            assertEquals(1, locks.size(), "restic's lock did not appear");
            Lock theirs = locks.get(0);
            assertEquals(backup.pid(), theirs.pid());
            assertFalse(theirs.exclusive());
            assertEquals(here.hostname(), theirs.hostname());
            assertFalse(me.isStale(theirs));
            RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> me.lock(true));
            assertTrue(e.getMessage().contains("PID " + backup.pid()), e.getMessage());
            // a shared lock can be taken next to restic's
            try (LockHandle h = me.lock(false)) {
                assertEquals(2, me.list().size());
            }
        } finally {
            try (OutputStream in = backup.getOutputStream()) {
                in.write("data\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(backup.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(0, backup.exitValue(), new String(backup.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(List.of(), lockFiles(), "restic removed its lock");
    }
}
