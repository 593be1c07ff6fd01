package dev.stowage.functions.adapter;

import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.StructuredEvents;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * The function as a Knative JobSink Job: handles the one event the JobSink mounted (structured
 * mode, file {@code $K_EVENT_PATH/event}), sends the reply to {@code $K_SINK} (the Broker), and sets
 * the exit code: 0 done (reply delivered, or nothing to reply), 1 worth retrying (the function could
 * not take charge of the event, or the reply could not be delivered), 2 never worth retrying (the
 * event is invalid). The Job's {@code podFailurePolicy} fails the Job at once on 2.
 */
public final class JobSinkEvent implements ApplicationRunner, ExitCodeGenerator {
    public static final int DONE = 0;
    public static final int RETRY = 1;
    public static final int INVALID = 2;

    private static final Logger LOG = LoggerFactory.getLogger(JobSinkEvent.class);

    private final EventFunction function;
    private final Path eventPath;
    private final String sink;
    private final CloudEventSender sender;
    private volatile int exitCode = DONE;

    public JobSinkEvent(EventFunction function, String eventPath, String sink, CloudEventSender sender) {
        this.function = function;
        // null outside JobSink mode: the runner then does nothing (a bean, not a condition, so that
        // Spring AOT, which fixes conditions at build time, keeps it)
        this.eventPath = eventPath == null || eventPath.isBlank() ? null : Path.of(eventPath);
        this.sink = sink == null || sink.isBlank() ? null : sink;
        this.sender = sender;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (eventPath != null) {
            exitCode = runOnce();
        }
    }

    int runOnce() {
        CloudEvent event;
        try {
            Path file = Files.isDirectory(eventPath) ? eventPath.resolve("event") : eventPath;
            event = StructuredEvents.parse(Files.readAllBytes(file));
        } catch (InvalidEventException e) {
            LOG.error("the JobSink event is not a valid CloudEvent: {}", e.getMessage());
            return INVALID;
        } catch (Exception e) {
            LOG.error("cannot read the JobSink event from {}", eventPath, e);
            return RETRY;
        }
        Optional<CloudEvent> reply;
        try {
            reply = function.handle(event);
        } catch (InvalidEventException e) {
            return INVALID;
        } catch (RuntimeException e) {
            LOG.error("could not handle {}", event, e);
            return RETRY;
        }
        if (reply.isEmpty()) {
            return DONE;
        }
        if (sink == null) {
            LOG.warn("no {} to send the reply to; the reply was:\n{}", JobSinkMode.SINK,
                    new String(StructuredEvents.format(reply.get()), StandardCharsets.UTF_8));
            return DONE;
        }
        try {
            sender.send(URI.create(sink), reply.get());
            LOG.info("sent {} to {}", reply.get(), sink);
            return DONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RETRY;
        } catch (Exception e) {
            LOG.error("could not send the reply {} to {}", reply.get(), sink, e);
            return RETRY;
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
