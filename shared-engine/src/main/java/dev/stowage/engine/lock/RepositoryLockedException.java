package dev.stowage.engine.lock;

import dev.stowage.engine.StowageException;

/** Another process holds a lock that conflicts with the one we need. */
public final class RepositoryLockedException extends StowageException {
    public RepositoryLockedException(String message) {
        super(message);
    }
}
