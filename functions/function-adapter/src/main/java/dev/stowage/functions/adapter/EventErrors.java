package dev.stowage.functions.adapter;

import dev.stowage.engine.event.InvalidEventException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps failures to status codes Knative's retry policy understands: 400 for an event that can
 * never succeed (not retried), 500 for anything else (retried with backoff).
 */
@RestControllerAdvice
public class EventErrors {
    private static final Logger LOG = LoggerFactory.getLogger(EventErrors.class);

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, String>> handle(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException invalid) {
                return respond(HttpStatus.BAD_REQUEST, invalid.getMessage());
            }
        }
        LOG.error("event handling failed", e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.toString();
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, message);
    }

    private static ResponseEntity<Map<String, String>> respond(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
    }
}
