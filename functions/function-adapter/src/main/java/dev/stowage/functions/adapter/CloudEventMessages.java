package dev.stowage.functions.adapter;

import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.StructuredEvents;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;

/**
 * Converts between Spring messages carrying HTTP requests and engine CloudEvents. Header names are
 * matched case-insensitively: Knative sends {@code Ce-Id}, curl users type {@code ce-id}.
 */
public final class CloudEventMessages {
    private static final String PREFIX = "ce-";

    private CloudEventMessages() {
    }

    /** The CloudEvent a request carries, in binary or structured mode. */
    public static CloudEvent fromMessage(Message<byte[]> message) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        message.getHeaders().forEach((name, value) -> {
            if (value instanceof String || value instanceof MimeType) {
                headers.put(name, value.toString());
            }
        });
        String contentType = headers.get("content-type");
        byte[] body = message.getPayload() == null ? new byte[0] : message.getPayload();
        if (headers.get(PREFIX + "specversion") == null) {
            if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(StructuredEvents.MEDIA_TYPE)) {
                return StructuredEvents.parse(body);
            }
            throw new InvalidEventException("not a CloudEvent: header ce-specversion is missing "
                    + "(send binary mode with ce-* headers, or structured mode as " + StructuredEvents.MEDIA_TYPE + ")");
        }
        String specVersion = headers.get(PREFIX + "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException("CloudEvent specversion \"" + specVersion + "\" is not supported (only 1.0)");
        }
        Map<String, String> extensions = new HashMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(PREFIX)) {
                String attribute = lower.substring(PREFIX.length());
                switch (attribute) {
                    case "specversion", "id", "source", "type", "subject", "time", "dataschema", "datacontenttype" -> {
                    }
                    default -> extensions.put(attribute, value);
                }
            }
        });
        String dataContentType = headers.get(PREFIX + "datacontenttype") != null
                ? headers.get(PREFIX + "datacontenttype") : contentType;
        return new CloudEvent(headers.get(PREFIX + "id"), headers.get(PREFIX + "source"), headers.get(PREFIX + "type"),
                headers.get(PREFIX + "subject"), headers.get(PREFIX + "time"), dataContentType, extensions, body);
    }

    /** A binary-mode reply: attributes as lowercase {@code ce-*} headers, data as the body. */
    public static Message<byte[]> toMessage(CloudEvent event) {
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(event.data())
                .setHeader(PREFIX + "specversion", CloudEvent.SPEC_VERSION)
                .setHeader(PREFIX + "id", event.id())
                .setHeader(PREFIX + "source", event.source())
                .setHeader(PREFIX + "type", event.type());
        if (event.subject() != null) {
            builder.setHeader(PREFIX + "subject", event.subject());
        }
        if (event.time() != null) {
            builder.setHeader(PREFIX + "time", event.time());
        }
        if (event.dataContentType() != null) {
            builder.setHeader("content-type", event.dataContentType());
        }
        event.extensions().forEach((name, value) -> builder.setHeader(PREFIX + name, value));
        return builder.build();
    }

    /** The response to an event that needs no reply: no body and no CloudEvent headers. */
    public static Message<byte[]> noReply() {
        return MessageBuilder.withPayload(new byte[0]).build();
    }
}
