package dev.stowage.engine;

/**
 * The repository lock an operation holds was not refreshed in time, so other processes may soon
 * treat it as stale and, for instance, prune data the operation relies on. The operation stops:
 * every further access to the repository's files fails with this exception.
 */
public final class LockLostException extends StowageException {
    public LockLostException(String message) {
        super(message);
    }
}
