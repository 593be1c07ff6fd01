package dev.stowage.engine.lock;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A held lock. Closing it stops the refreshing and removes the lock file. */
public final class LockHandle implements AutoCloseable {
    private final Locker locker;
    private final ScheduledExecutorService refresher;
    private final List<StaleLock> removedStale;
    private volatile Lock current;

    LockHandle(Locker locker, Lock lock, List<StaleLock> removedStale) {
        this.locker = locker;
        this.current = lock;
        this.removedStale = List.copyOf(removedStale);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = Locker.REFRESH_INTERVAL.toMillis();
        refresher.scheduleAtFixedRate(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            current = locker.refresh(current);
        } catch (IOException | RuntimeException e) {
            // the next attempt may succeed; a lock is only stale after 30 minutes
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
        locker.remove(current.id());
    }
}
