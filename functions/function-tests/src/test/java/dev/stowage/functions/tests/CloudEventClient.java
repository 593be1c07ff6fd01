package dev.stowage.functions.tests;

import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.StructuredEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Sends CloudEvents over HTTP the way Knative's dispatcher does: canonical header casing, JSON data. */
final class CloudEventClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Binary mode with Go-canonical header names ({@code Ce-Id}), as Knative's Broker sends them. */
    Response sendBinary(URI uri, CloudEvent event) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("Ce-Specversion", "1.0").header("Ce-Id", event.id()).header("Ce-Source", event.source())
                .header("Ce-Type", event.type()).header("Prefer", "reply");
        if (event.subject() != null) {
            b.header("Ce-Subject", event.subject());
        }
        if (event.time() != null) {
            b.header("Ce-Time", event.time());
        }
        event.extensions().forEach((k, v) -> b.header("Ce-" + Character.toUpperCase(k.charAt(0)) + k.substring(1), v));
        b.header("Content-Type", event.dataContentType() != null ? event.dataContentType() : "application/json");
        return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(event.data())).build());
    }

    /** Structured mode: the whole event as {@code application/cloudevents+json}. */
    Response sendStructured(URI uri, CloudEvent event) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("Content-Type", StructuredEvents.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(StructuredEvents.format(event))).build());
    }

    /** Any request, for malformed input. */
    Response sendRaw(URI uri, Map<String, String> headers, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1));
        headers.forEach(b::header);
        return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.headers(), r.body());
    }

    record Response(int status, HttpHeaders headers, byte[] body) {
        String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The reply event, read as Knative reads a binary-mode response; empty if there is none. */
        Optional<CloudEvent> reply() {
            if (headers.firstValue("ce-specversion").isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> ext = new HashMap<>();
            headers.map().forEach((name, values) -> {
                String n = name.toLowerCase(Locale.ROOT);
                if (n.startsWith("ce-") && !Map.of("ce-specversion", 1, "ce-id", 1, "ce-source", 1, "ce-type", 1,
                        "ce-subject", 1, "ce-time", 1).containsKey(n)) {
                    ext.put(n.substring(3), values.get(0));
                }
            });
            return Optional.of(new CloudEvent(headers.firstValue("ce-id").orElse(null),
                    headers.firstValue("ce-source").orElse(null), headers.firstValue("ce-type").orElse(null),
                    headers.firstValue("ce-subject").orElse(null), headers.firstValue("ce-time").orElse(null),
                    headers.firstValue("content-type").orElse(null), ext, body));
        }
    }
}
