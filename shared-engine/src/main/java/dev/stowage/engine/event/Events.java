package dev.stowage.engine.event;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Builds the events functions emit. */
public final class Events {
    private Events() {
    }

    /** A new event with a random ID, the current time and {@code data} encoded as JSON. */
    public static CloudEvent create(String type, String source, String subject, Map<String, String> extensions,
                                    Object data) {
        return new CloudEvent(UUID.randomUUID().toString(), source, type, subject,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), "application/json", extensions,
                EventData.write(data));
    }

    /** {@code source} and {@code id} of {@code event}, the pair that identifies a delivery's event. */
    public static String requestId(CloudEvent event) {
        return event.source() + "#" + event.id();
    }
}
