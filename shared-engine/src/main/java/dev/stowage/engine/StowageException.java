package dev.stowage.engine;

/**
 * Base of every error the engine reports. Messages are written for the person running the
 * command: they name the file, snapshot or setting that is wrong and, where it helps, what to do.
 */
public class StowageException extends RuntimeException {
    public StowageException(String message) {
        super(message);
    }

    public StowageException(String message, Throwable cause) {
        super(message, cause);
    }
}
