package dev.stowage.cli;

import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.lock.StaleLock;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;

/** An open repository with its lock (if any), closed together. */
final class RepositoryAccess implements AutoCloseable {
    final Repository repo;
    private final LockHandle lock;

    private RepositoryAccess(Repository repo, LockHandle lock) {
        this.repo = repo;
        this.lock = lock;
    }

    /**
     * Opens the repository the options name, takes a shared lock unless {@code lock} is false,
     * and loads the index if asked.
     */
    static RepositoryAccess open(GlobalOptions options, boolean lock, boolean loadIndex) throws IOException {
        return open(options, lock, false, loadIndex);
    }

    /**
     * Like {@link #open(GlobalOptions, boolean, boolean)}, with an exclusive lock when
     * {@code exclusive} is true (forget, and later prune and check, as in restic).
     */
    static RepositoryAccess open(GlobalOptions options, boolean lock, boolean exclusive, boolean loadIndex)
            throws IOException {
        Backend backend = options.backend();
        Repository repo = Repository.open(backend, options.password(false), options.repositoryOptions(backend));
        LockHandle handle = null;
        Locker.PendingLock pending = null;
        try {
            if (lock) {
                pending = new Locker(repo, Identity.current()).begin(exclusive);
            }
            // the index loads during the lock's pause before its second look at other locks
            if (loadIndex) {
                repo.loadIndex();
            }
            if (pending != null) {
                Locker.PendingLock p = pending;
                pending = null; // a failed confirm removes its lock file itself
                handle = p.confirm();
                for (StaleLock stale : handle.removedStaleLocks()) {
                    options.err.println("warning: " + stale.describe());
                }
            }
            return new RepositoryAccess(repo, handle);
        } catch (IOException | RuntimeException e) {
            try {
                if (pending != null) {
                    pending.abandon();
                }
                if (handle != null) {
                    handle.close();
                }
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            } finally {
                repo.close();
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock != null) {
                lock.close();
            }
        } finally {
            repo.close();
        }
    }
}
