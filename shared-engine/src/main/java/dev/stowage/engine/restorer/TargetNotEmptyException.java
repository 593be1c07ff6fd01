package dev.stowage.engine.restorer;

import dev.stowage.engine.StowageException;

/** The restore target already has entries; restores go into an empty or new directory. */
public final class TargetNotEmptyException extends StowageException {
    public TargetNotEmptyException(String target) {
        super("target directory " + target + " is not empty: restore into an empty or new directory");
    }
}
