package dev.stowage.engine.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;

/** Turns Jackson exceptions into short user-facing text (without Jackson's source dumps). */
final class JsonErrors {
    private JsonErrors() {
    }

    static String describe(IOException ex) {
        if (ex instanceof JsonProcessingException jpe) {
            String msg = jpe.getOriginalMessage();
            if (jpe.getLocation() != null) {
                long at = jpe.getLocation().getByteOffset();
                if (at < 0) {
                    at = jpe.getLocation().getCharOffset();
                }
                if (at >= 0) {
                    return msg + " (at byte " + at + ")";
                }
            }
            return msg;
        }
        return ex.getMessage();
    }
}
