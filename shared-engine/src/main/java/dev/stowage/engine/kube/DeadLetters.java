package dev.stowage.engine.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.SessionRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads an event Knative gave to a dead-letter sink: the original event plus the extensions
 * {@code knativeerrordest} (where the delivery failed), {@code knativeerrorcode} (the last HTTP
 * status, absent or 0 without a response) and {@code knativeerrordata} (the response body,
 * base64, cut at 1024 characters).
 */
public final class DeadLetters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 500;

    private DeadLetters() {
    }

    /** Whether {@code event} carries the extensions of a dead-lettered delivery. */
    public static boolean isDeadLettered(CloudEvent event) {
        return event.extension(EventTypes.DEAD_LETTER_CODE) != null
                || event.extension(EventTypes.DEAD_LETTER_DESTINATION) != null;
    }

    /**
     * The session a dead-lettered request names: its data's {@code session}, else its
     * {@code stowagesession} extension; empty for an inline request (or data that names none).
     */
    public static Optional<SessionRef> session(CloudEvent event) {
        try {
            JsonNode session = event.data().length == 0 ? null : JSON.readTree(event.data()).get("session");
            if (session != null && session.path("namespace").isTextual() && session.path("name").isTextual()) {
                return Optional.of(new SessionRef(session.get("namespace").asText(), session.get("name").asText()));
            }
        } catch (IOException | InvalidEventException e) {
            // data that could not be read is what may have made the delivery fail; try the extension
        }
        String extension = event.extension(EventTypes.SESSION);
        if (extension != null) {
            try {
                return Optional.of(SessionRef.parse(extension));
            } catch (InvalidEventException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** One line saying which delivery failed and how, e.g. {@code ... failed with HTTP 500: <error>}. */
    public static String reason(CloudEvent event) {
        String destination = event.extension(EventTypes.DEAD_LETTER_DESTINATION);
        String code = event.extension(EventTypes.DEAD_LETTER_CODE);
        StringBuilder reason = new StringBuilder("delivery of ").append(event.type()).append(" to ")
                .append(destination != null && !destination.isEmpty() ? destination : "the task function")
                .append(" failed");
        if (code != null && !code.isEmpty() && !code.equals("0")) {
            reason.append(" with HTTP ").append(code);
        } else {
            reason.append(" without a response");
        }
        String message = message(event.extension(EventTypes.DEAD_LETTER_DATA));
        if (!message.isEmpty()) {
            reason.append(": ").append(message);
        }
        return reason.toString();
    }

    /** The response body Knative recorded: the {@code error} of a function's JSON error, else the text. */
    static String message(String data) {
        if (data == null || data.isEmpty()) {
            return "";
        }
        String text;
        try {
            // Knative cuts the base64 at 1024 characters, which may break its last quantum
            String whole = data.substring(0, data.length() - data.length() % 4);
            text = new String(Base64.getDecoder().decode(whole), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = data;
        }
        try {
            JsonNode error = JSON.readTree(text).get("error");
            if (error != null && error.isTextual()) {
                text = error.asText();
            }
        } catch (IOException e) {
            // not JSON (or cut short): the text itself
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }
}
