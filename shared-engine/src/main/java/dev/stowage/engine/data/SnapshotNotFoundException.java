package dev.stowage.engine.data;

import dev.stowage.engine.StowageException;

/** No snapshot matches the ID, prefix or filter given. */
public final class SnapshotNotFoundException extends StowageException {
    public SnapshotNotFoundException(String message) {
        super(message);
    }
}
