package dev.stowage.functions.adapter;

import dev.stowage.engine.event.CloudEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an event to a sink (a Broker's ingress, any CloudEvents receiver) in binary mode, retrying
 * what a retry may fix: no connection, 404, 408, 409, 429 and 5xx, as Knative's own senders do.
 */
public final class CloudEventSender {
    private static final Logger LOG = LoggerFactory.getLogger(CloudEventSender.class);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int attempts;
    private final Duration firstBackoff;

    /** @param attempts tries in all; the pause doubles from {@code firstBackoff} */
    public CloudEventSender(int attempts, Duration firstBackoff) {
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
    }

    /** Sends {@code event} to {@code sink}; throws once the attempts are used up or on a permanent refusal. */
    public void send(URI sink, CloudEvent event) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(60))
                .header("ce-specversion", CloudEvent.SPEC_VERSION).header("ce-id", event.id())
                .header("ce-source", event.source()).header("ce-type", event.type())
                .header("Content-Type", event.dataContentType() != null ? event.dataContentType() : "application/json");
        if (event.subject() != null) {
            request.header("ce-subject", event.subject());
        }
        if (event.time() != null) {
            request.header("ce-time", event.time());
        }
        event.extensions().forEach((name, value) -> request.header("ce-" + name, value));
        HttpRequest built = request.POST(HttpRequest.BodyPublishers.ofByteArray(event.data())).build();
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return;
                }
                failure = "HTTP " + status + " " + response.body();
                if (!retryable(status)) {
                    throw new RefusedException(sink + " refused " + event + ": " + failure);
                }
            } catch (RefusedException e) {
                throw e;
            } catch (IOException e) {
                failure = e.toString();
            }
            if (attempt >= attempts) {
                throw new IOException("could not send " + event + " to " + sink + " in " + attempts + " attempts: "
                        + failure);
            }
            LOG.warn("sending {} to {} failed ({}), retrying in {}", event, sink, failure, backoff);
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2);
        }
    }

    /** The sink answered with a status a retry cannot change (400, 401, 403, ...). */
    public static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    static boolean retryable(int status) {
        return status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }
}
