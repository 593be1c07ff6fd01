package dev.stowage.engine.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A CloudEvent 1.0, independent of its transport.
 *
 * @param id              unique per source; a redelivery may reuse it
 * @param source          URI-reference of the producer
 * @param type            event type, e.g. {@link EventTypes#BACKUP_REQUESTED}
 * @param subject         optional subject, e.g. {@code backupsessions/nightly-1}
 * @param time            optional RFC 3339 time, kept as sent
 * @param dataContentType optional media type of {@code data}
 * @param extensions      extension attributes by (lowercase alphanumeric) name
 * @param data            the payload bytes, empty when the event has none
 */
public record CloudEvent(String id, String source, String type, String subject, String time, String dataContentType,
                         Map<String, String> extensions, byte[] data) {
    /** The only version accepted and produced. */
    public static final String SPEC_VERSION = "1.0";

    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]+");

    public CloudEvent {
        requireAttribute("id", id);
        requireAttribute("source", source);
        requireAttribute("type", type);
        extensions = Map.copyOf(extensions);
        for (String name : extensions.keySet()) {
            if (!EXTENSION_NAME.matcher(name).matches()) {
                throw new InvalidEventException("extension attribute \"" + name
                        + "\" is not a valid CloudEvents name (lowercase letters and digits only)");
            }
        }
        data = data == null ? new byte[0] : data;
    }

    private static void requireAttribute(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException("CloudEvent attribute \"" + name + "\" is missing");
        }
    }

    /** The extension attribute {@code name}, or null. */
    public String extension(String name) {
        return extensions.get(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudEvent e && id.equals(e.id) && source.equals(e.source) && type.equals(e.type)
                && Objects.equals(subject, e.subject) && Objects.equals(time, e.time)
                && Objects.equals(dataContentType, e.dataContentType) && extensions.equals(e.extensions)
                && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, source, type, subject, time, dataContentType, extensions) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CloudEvent{type=" + type + ", source=" + source + ", id=" + id
                + (subject != null ? ", subject=" + subject : "") + ", extensions=" + new TreeMap<>(extensions)
                + ", " + data.length + " data bytes}";
    }
}
