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
        // Deriving the key with scrypt allocated 32 MiB that, being live during a young collection,
        // went to the old generation. Collected now, with little else in the heap, it takes a few
        // milliseconds; left there, it filled the old generation once the index and a restore plan
        // or a backup's buffers joined it, and a full collection of all that (40-80 ms) followed.
        System.gc();
        try {
            LockHandle handle = null;
            if (lock) {
                // the index loads between writing the lock and the second look at other locks
                handle = new Locker(repo, Identity.current()).lock(exclusive, loadIndex ? repo::loadIndex : () -> { });
                for (StaleLock stale : handle.removedStaleLocks()) {
                    options.err.println("warning: " + stale.describe());
                }
            } else if (loadIndex) {
                repo.loadIndex();
            }
            return new RepositoryAccess(repo, handle);
        } catch (IOException | RuntimeException e) {
            repo.close();
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
