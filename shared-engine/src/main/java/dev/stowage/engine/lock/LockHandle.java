package dev.stowage.engine.lock;

import dev.stowage.engine.Id;
import dev.stowage.engine.LockLostException;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.repository.AccessGuard;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A held lock. It is refreshed in the background; if no refresh succeeds for
 * {@link LockTiming#abortAfter()}, the lock is lost: {@link #check()} throws, and so does every
 * access to the repository's files (the handle guards the repository while held). Closing it stops
 * the refreshing and removes the lock file.
 */
public final class LockHandle implements AutoCloseable, AccessGuard {
    private final Locker locker;
    private final Clock clock;
    private final LockTiming timing;
    /** {@link LockTiming#abortAfter()}, computed once: every guarded repository access asks. */
    private final Duration abortAfter;
    private final ScheduledExecutorService refresher;
    private final List<StaleLock> removedStale;
    /** Replaced lock files whose removal failed; tried again on close. */
    private final Set<Id> leftovers = ConcurrentHashMap.newKeySet();
    private volatile Lock current;
    private volatile Instant refreshedAt;
    private volatile String lastError = "";
    private volatile boolean lost;

    LockHandle(Locker locker, Lock lock, List<StaleLock> removedStale, Clock clock, LockTiming timing) {
        this.locker = locker;
        this.clock = clock;
        this.timing = timing;
        this.abortAfter = timing.abortAfter();
        this.current = lock;
        this.refreshedAt = lock.time().toInstant();
        this.removedStale = List.copyOf(removedStale);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lock-refresh");
            t.setDaemon(true);
            return t;
        });
        schedule(timing.refreshInterval());
    }

    private void schedule(Duration delay) {
        try {
            refresher.schedule(this::refresh, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void refresh() {
        if (lost || expired()) {
            // too late: others may remove it as stale before long, so it does not protect anything any more
            lost = true;
            return;
        }
        Lock old = current;
        try {
            Lock fresh = locker.write(old.exclusive());
            current = fresh;
            refreshedAt = fresh.time().toInstant();
            lastError = "";
        } catch (IOException | RuntimeException e) {
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            schedule(timing.retryInterval());
            return;
        }
        try {
            locker.remove(old.id());
        } catch (IOException | RuntimeException e) {
            leftovers.add(old.id());
        }
        schedule(timing.refreshInterval());
    }

    private boolean expired() {
        return clock.instant().isAfter(refreshedAt.plus(abortAfter));
    }

    /** Whether the lock was not refreshed in time (checked now). */
    public boolean isLost() {
        if (!lost && expired()) {
            lost = true;
        }
        return lost;
    }

    /** When the lock was last written: taken or refreshed. */
    public Instant refreshedAt() {
        return refreshedAt;
    }

    /**
     * Returns while the lock is held.
     *
     * @throws LockLostException if it was not refreshed in time
     */
    @Override
    public void check() {
        if (isLost()) {
            String error = lastError;
            throw new LockLostException("repository lock lost: not refreshed since " + GoTime.format(GoTime.local(refreshedAt))
                    + ", and others may remove it as stale after " + Locker.describe(timing.staleAfter())
                    + "; stopping" + (error.isEmpty() ? "" : " (last refresh error: " + error + ")"));
        }
    }

    public Lock lock() {
        return current;
    }

    /** Stale locks of others that were removed to take this one. */
    public List<StaleLock> removedStaleLocks() {
        return removedStale;
    }

    @Override
    public void close() throws IOException {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        locker.release(this);
        for (Id id : leftovers) {
            try {
                locker.remove(id);
            } catch (IOException | RuntimeException e) {
                // it goes stale by itself; our own lock file matters more
            }
        }
        locker.remove(current.id());
    }
}
