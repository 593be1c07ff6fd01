package dev.stowage.engine.backend;

import java.io.IOException;

/** A file the repository should hold is not there. */
public final class NotFoundException extends IOException {
    public NotFoundException(String message) {
        super(message);
    }
}
