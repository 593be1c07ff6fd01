package dev.stowage.engine.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Structured-mode CloudEvents ({@code application/cloudevents+json}). */
public final class StructuredEvents {
    /** Media type of a structured-mode event. */
    public static final String MEDIA_TYPE = "application/cloudevents+json";

    private static final Set<String> CONTEXT = Set.of("specversion", "id", "source", "type", "subject", "time",
            "datacontenttype", "dataschema", "data", "data_base64");

    private StructuredEvents() {
    }

    /** Parses a structured-mode event; any problem is an {@link InvalidEventException} naming it. */
    public static CloudEvent parse(byte[] body) {
        JsonNode root;
        try {
            root = EventData.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidEventException("structured CloudEvent is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("structured CloudEvent must be a JSON object");
        }
        String specVersion = text(root, "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException(specVersion == null ? "CloudEvent attribute \"specversion\" is missing"
                    : "CloudEvent specversion \"" + specVersion + "\" is not supported (only 1.0)");
        }
        String contentType = text(root, "datacontenttype");
        byte[] data;
        JsonNode dataNode = root.get("data");
        JsonNode base64 = root.get("data_base64");
        if (base64 != null && !base64.isNull()) {
            try {
                data = Base64.getDecoder().decode(base64.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException("CloudEvent data_base64 is not valid base64", e);
            }
        } else if (dataNode == null || dataNode.isNull()) {
            data = new byte[0];
        } else if (dataNode.isTextual() && contentType != null && !isJson(contentType)) {
            data = dataNode.asText().getBytes(StandardCharsets.UTF_8);
        } else {
            data = EventData.write(dataNode);
            if (contentType == null) {
                contentType = "application/json";
            }
        }
        Map<String, String> extensions = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!CONTEXT.contains(field.getKey()) && !field.getValue().isNull()) {
                extensions.put(field.getKey(), field.getValue().asText());
            }
        }
        return new CloudEvent(text(root, "id"), text(root, "source"), text(root, "type"), text(root, "subject"),
                text(root, "time"), contentType, extensions, data);
    }

    /** Writes {@code event} in structured mode; JSON data is embedded, other data as base64. */
    public static byte[] format(CloudEvent event) {
        ObjectNode root = EventData.MAPPER.createObjectNode();
        root.put("specversion", CloudEvent.SPEC_VERSION);
        root.put("id", event.id());
        root.put("source", event.source());
        root.put("type", event.type());
        if (event.subject() != null) {
            root.put("subject", event.subject());
        }
        if (event.time() != null) {
            root.put("time", event.time());
        }
        if (event.dataContentType() != null) {
            root.put("datacontenttype", event.dataContentType());
        }
        event.extensions().forEach(root::put);
        if (event.data().length > 0) {
            if (event.dataContentType() == null || isJson(event.dataContentType())) {
                try {
                    root.set("data", EventData.MAPPER.readTree(event.data()));
                } catch (IOException e) {
                    throw new IllegalArgumentException("event data is declared JSON but is not", e);
                }
            } else {
                root.put("data_base64", Base64.getEncoder().encodeToString(event.data()));
            }
        }
        return EventData.write(root);
    }

    private static boolean isJson(String contentType) {
        return contentType.startsWith("application/json") || contentType.contains("+json")
                || contentType.startsWith("text/json");
    }

    private static String text(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidEventException("CloudEvent attribute \"" + name + "\" must be a string");
        }
        return node.asText();
    }
}
