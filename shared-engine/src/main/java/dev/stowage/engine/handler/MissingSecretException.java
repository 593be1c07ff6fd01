package dev.stowage.engine.handler;

import dev.stowage.engine.StowageException;

/** A referenced secret, key, file or environment variable does not exist. */
public final class MissingSecretException extends StowageException {
    public MissingSecretException(String message) {
        super(message);
    }
}
