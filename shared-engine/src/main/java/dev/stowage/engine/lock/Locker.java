package dev.stowage.engine.lock;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.NotFoundException;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Takes restic-compatible repository locks: shared ones exclude only exclusive ones, an exclusive
 * one excludes all others. A held lock is refreshed every five minutes, as restic does, so that
 * others do not consider it stale; if refreshing fails for 22.5 minutes the lock is lost and the
 * operation holding it stops (see {@link LockHandle}), as in restic 0.16.
 *
 * <p>Unlike restic 0.14, a lock that is stale — its process on this host is gone, or it has not
 * been refreshed for 30 minutes — does not block: any operation that takes a lock removes it and
 * reports it, so a killed pod never blocks later work until someone runs {@code unlock}.
 */
public final class Locker {
    private static final Duration RECHECK_DELAY = Duration.ofMillis(200);

    private final Repository repo;
    private final Identity identity;
    private final Clock clock;
    private final LockTiming timing;

    public Locker(Repository repo, Identity identity) {
        this(repo, identity, Clock.systemUTC(), LockTiming.DEFAULT);
    }

    /** With the clock lock times are taken from and judged by, and the refresh and staleness timing. */
    public Locker(Repository repo, Identity identity, Clock clock, LockTiming timing) {
        this.repo = repo;
        this.identity = identity;
        this.clock = clock;
        this.timing = timing;
    }

    /**
     * Takes a lock, or fails naming the lock that is in the way. While the handle is open it
     * guards the repository: once the lock is lost, every access to its files fails.
     *
     * @throws RepositoryLockedException if a conflicting lock exists
     */
    public LockHandle lock(boolean exclusive) throws IOException {
        return lock(exclusive, () -> { });
    }

    /**
     * Like {@link #lock(boolean)}, running {@code meanwhile} between writing the lock file and the
     * second look for conflicting locks (two processes may write theirs at the same time): time to
     * read the repository, its index say. On backends that may list a new file late, the second
     * look comes no sooner than 200 ms after the lock file was written, as in restic; where files
     * are listed at once ({@link dev.stowage.engine.backend.Backend#listsNewFilesAtOnce()}), right
     * after {@code meanwhile}: of two processes that each write their lock and then look, the one
     * that looks last sees the other's. {@code meanwhile} must not write to the repository; what
     * it read is only to be acted on once the lock is taken. If it fails, the lock file is removed
     * and its exception thrown.
     *
     * @throws RepositoryLockedException if a conflicting lock exists, or appeared meanwhile
     */
    public LockHandle lock(boolean exclusive, ReadAction meanwhile) throws IOException {
        ignoreSighup();
        List<StaleLock> removed = new ArrayList<>();
        checkOthers(exclusive, null, removed);
        Lock lock = newLock(exclusive);
        Id id = repo.saveUnpacked(FileType.LOCK, lock.toJson());
        long writtenAt = System.nanoTime();
        try {
            meanwhile.run();
            if (!repo.backend().listsNewFilesAtOnce()) {
                TimeUnit.NANOSECONDS.sleep(RECHECK_DELAY.toNanos() - (System.nanoTime() - writtenAt));
            }
            checkOthers(exclusive, id, removed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remove(id);
            throw new StowageException("interrupted while locking the repository", e);
        } catch (RuntimeException | IOException e) {
            try {
                remove(id);
            } catch (RuntimeException | IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LockHandle handle = new LockHandle(this, lock.withId(id), removed, clock, timing);
        repo.addGuard(handle);
        return handle;
    }

    /** Reads done while a lock is being taken; see {@link #lock(boolean, ReadAction)}. */
    @FunctionalInterface
    public interface ReadAction {
        void run() throws IOException;
    }

    /** Called by a closing handle: the repository no longer depends on it. */
    void release(LockHandle handle) {
        repo.removeGuard(handle);
    }

    /**
     * restic's {@code unlock} on the same host probes lock holders with SIGHUP, which would
     * terminate a JVM; holders of restic-format locks must ignore it as restic does.
     */
    private static void ignoreSighup() {
        try {
            Signal.handle(new Signal("HUP"), sig -> { });
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform
        }
    }

    Lock newLock(boolean exclusive) {
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        long gid = new com.sun.security.auth.module.UnixSystem().getGid();
        return new Lock(null, GoTime.local(clock.instant()), exclusive, identity.hostname(), identity.username(),
                identity.pid(), uid, gid);
    }

    /** Locks currently in the repository; files that cannot be read are skipped, as restic does. */
    public List<Lock> list() throws IOException {
        List<Lock> locks = new ArrayList<>();
        for (Id id : repo.listIds(FileType.LOCK)) {
            try {
                locks.add(Lock.parse(id, repo.loadUnpacked(FileType.LOCK, id)));
            } catch (NotFoundException e) {
                // removed meanwhile
            } catch (StowageException e) {
                // unreadable lock files do not block, as in restic 0.14
            }
        }
        return locks;
    }

    private void checkOthers(boolean exclusive, Id own, List<StaleLock> removedStale) throws IOException {
        for (Lock other : list()) {
            if (other.id().equals(own)) {
                continue;
            }
            // a stale lock goes even when it does not conflict with ours: left in place it would
            // block the next exclusive operation (prune, check) of any tool
            String reason = staleReason(other);
            if (!reason.isEmpty()) {
                remove(other.id());
                removedStale.add(new StaleLock(other, reason));
                continue;
            }
            if (other.conflictsWith(exclusive)) {
                throw new RepositoryLockedException("repository " + repo.backend().location() + " is already locked: "
                        + other.describe());
            }
        }
    }

    /**
     * restic's {@code unlock}: removes the stale locks, or with {@code all} every lock (only safe
     * when no process uses the repository).
     *
     * @return the removed locks
     */
    public List<StaleLock> removeStale(boolean all) throws IOException {
        List<StaleLock> removed = new ArrayList<>();
        for (Lock l : list()) {
            String reason = staleReason(l);
            if (all || !reason.isEmpty()) {
                remove(l.id());
                removed.add(new StaleLock(l, reason.isEmpty() ? "removed on request" : reason));
            }
        }
        return removed;
    }

    /** restic's staleness test: older than 30 minutes (by default), or held by a process on this host that is gone. */
    public boolean isStale(Lock lock) {
        return !staleReason(lock).isEmpty();
    }

    private String staleReason(Lock lock) {
        if (lock.time().toInstant().isBefore(clock.instant().minus(timing.staleAfter()))) {
            return "not refreshed for more than " + describe(timing.staleAfter());
        }
        if (lock.hostname().equals(identity.hostname()) && ProcessHandle.of(lock.pid()).isEmpty()) {
            return "process " + lock.pid() + " on this host no longer exists";
        }
        return "";
    }

    void remove(Id id) throws IOException {
        try {
            repo.backend().remove(new Handle(FileType.LOCK, id.hex()));
        } catch (NotFoundException e) {
            // already gone
        }
    }

    /** Writes a lock with a fresh time, then removes the old one. */
    Lock refresh(Lock lock) throws IOException {
        Lock saved = write(lock.exclusive());
        remove(lock.id());
        return saved;
    }

    /** Writes a new lock file with the current time. */
    Lock write(boolean exclusive) throws IOException {
        Lock fresh = newLock(exclusive);
        return fresh.withId(repo.saveUnpacked(FileType.LOCK, fresh.toJson()));
    }

    /** "30 minutes", or seconds or milliseconds for the short timings of tests. */
    static String describe(Duration d) {
        if (d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
            return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
        }
        return d.toNanosPart() % 1_000_000 == 0 && d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }
}
