package dev.stowage.engine.lock;

/** A lock that was removed because its holder is gone, with the reason it was judged stale. */
public record StaleLock(Lock lock, String reason) {
    public String describe() {
        return "removed stale " + lock.describe() + " (" + reason + "), locks/" + lock.id().hex();
    }
}
