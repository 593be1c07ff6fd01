package dev.stowage.engine.restorer;

import dev.stowage.engine.StowageException;

/** A snapshot holds an entry that would make a restore write outside its target. Nothing was written. */
public final class UnsafeSnapshotException extends StowageException {
    public UnsafeSnapshotException(String message) {
        super(message);
    }
}
