package dev.stowage.engine.event;

import java.util.Optional;

/**
 * One function's logic: takes an event and returns the reply event, or nothing when the event needs
 * no reply (a duplicate delivery, for instance).
 *
 * <p>Errors: {@link InvalidEventException} when the event itself is wrong (adapters answer 4xx,
 * senders must not retry); any other exception is a transient failure (5xx, retried). A backup or
 * restore that fails on its own terms is not an exception: it is a {@code .failed} reply.
 */
@FunctionalInterface
public interface EventHandler {
    Optional<CloudEvent> handle(CloudEvent event) throws Exception;
}
