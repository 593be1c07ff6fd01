package dev.stowage.engine.handler;

import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.RepositoryLocation;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryCache;
import dev.stowage.engine.repository.RepositoryOptions;
import java.io.IOException;

/**
 * Opens repositories for handlers, sharing one {@link RepositoryCache} so a warm function instance
 * does not derive keys or load indexes again for every event.
 */
public final class Repositories {
    private final RepositoryCache cache;
    private final Identity identity;

    public Repositories(RepositoryCache cache, Identity identity) {
        this.cache = cache;
        this.identity = identity;
    }

    /**
     * Opens {@code target} and locks it (shared, or exclusive for maintenance). With {@code create}
     * a missing repository is initialised first, as Stash initialises a backend on first backup.
     */
    public Locked open(RepositoryTarget target, boolean exclusive, boolean create) throws IOException {
        return open(target, exclusive, create, false);
    }

    /**
     * Like {@link #open(RepositoryTarget, boolean, boolean)}, and with {@code loadIndex} loads the
     * index while the lock waits for its second look at other locks.
     */
    public Locked open(RepositoryTarget target, boolean exclusive, boolean create, boolean loadIndex)
            throws IOException {
        Backend backend = RepositoryLocation.parse(target.url()).open(target.env());
        // as many pack uploads at once as the backend's connection count (e.g. -o s3.connections)
        RepositoryOptions options = RepositoryOptions.defaults().withUploadThreads(backend.connections());
        Repository repo;
        try {
            repo = create && !backend.exists(Handle.CONFIG)
                    ? Repository.init(backend, target.password(), 2, ScryptParams.defaults(), identity, options)
                    : Repository.open(backend, target.password(), options, cache);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        try {
            // the index loads during the lock's pause before its second look at other locks
            return new Locked(repo, new Locker(repo, identity).lock(exclusive, loadIndex ? repo::loadIndex : () -> { }));
        } catch (IOException | RuntimeException e) {
            repo.close();
            throw e;
        }
    }

    /** An open repository with its lock; closing releases both. */
    public record Locked(Repository repository, LockHandle lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.close();
            } finally {
                repository.close();
            }
        }
    }
}
