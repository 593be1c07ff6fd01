package dev.stowage.engine.repository;

import dev.stowage.engine.StowageException;

/** There is no repository at the given location (no config file). */
public final class NoRepositoryException extends StowageException {
    public NoRepositoryException(String location) {
        super("no repository at " + location + " (config file not found); create one with 'init'");
    }
}
