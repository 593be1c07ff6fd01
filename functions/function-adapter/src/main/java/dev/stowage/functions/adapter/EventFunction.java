package dev.stowage.functions.adapter;

import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventHandler;
import dev.stowage.engine.event.InvalidEventException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** The one function bean of a function app: decode, call the engine handler, encode. */
public final class EventFunction implements Function<Message<byte[]>, Message<byte[]>> {
    private static final Logger LOG = LoggerFactory.getLogger(EventFunction.class);

    private final EventHandler handler;

    public EventFunction(EventHandler handler) {
        this.handler = handler;
    }

    @Override
    public Message<byte[]> apply(Message<byte[]> message) {
        CloudEvent event = CloudEventMessages.fromMessage(message);
        Optional<CloudEvent> reply = handle(event);
        Message<byte[]> response = reply.map(CloudEventMessages::toMessage).orElseGet(CloudEventMessages::noReply);
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            Set<String> ceHeaders = response.getHeaders().keySet().stream()
                    .map(h -> h.toLowerCase(Locale.ROOT)).filter(h -> h.startsWith("ce-")).collect(Collectors.toSet());
            request.setAttribute(CloudEventHeaderFilter.REPLY_HEADERS, ceHeaders, RequestAttributes.SCOPE_REQUEST);
        }
        return response;
    }

    /**
     * Handles one event, however it arrived (HTTP, or a JobSink's event file): the reply, if any.
     * An {@link InvalidEventException} means the event can never succeed; any other exception that
     * the function could not take charge of it and a redelivery may succeed.
     */
    public Optional<CloudEvent> handle(CloudEvent event) {
        LOG.info("received {}", event);
        Optional<CloudEvent> reply;
        try {
            reply = handler.handle(event);
        } catch (InvalidEventException e) {
            LOG.warn("rejected {}: {}", event, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new HandlerFailedException(e);
        }
        reply.ifPresentOrElse(r -> LOG.info("replying {}", r), () -> LOG.info("no reply to {}", event));
        return reply;
    }

    /** A checked failure of the handler; answered 5xx so the sender retries. */
    static final class HandlerFailedException extends RuntimeException {
        HandlerFailedException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
