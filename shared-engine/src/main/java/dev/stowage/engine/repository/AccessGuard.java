package dev.stowage.engine.repository;

/**
 * A condition every access to a repository's files depends on, such as a lock that must still be
 * held. See {@link Repository#addGuard}.
 */
@FunctionalInterface
public interface AccessGuard {
    /** Returns while access is allowed; throws (a {@link dev.stowage.engine.LockLostException}) once it is not. */
    void check();
}
