package dev.stowage.engine.event;

import dev.stowage.engine.StowageException;

/**
 * The event is malformed, of a type the handler does not take, or its data is invalid; the message
 * names the attribute or field. Resending the same event cannot succeed, so adapters answer 4xx.
 */
public class InvalidEventException extends StowageException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
