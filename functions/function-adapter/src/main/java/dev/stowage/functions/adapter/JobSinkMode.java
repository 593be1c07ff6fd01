package dev.stowage.functions.adapter;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True when the function runs as a Knative JobSink Job: {@code K_EVENT_PATH} (set by the JobSink on
 * the Job's containers, or given as a property) names the directory holding the event.
 */
public final class JobSinkMode implements Condition {
    /** The variable the JobSink sets: the directory of the mounted event Secret (file {@code event}). */
    public static final String EVENT_PATH = "K_EVENT_PATH";
    /** Where the reply goes: a Broker's ingress URL (the Job's env, or a SinkBinding's). */
    public static final String SINK = "K_SINK";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String path = context.getEnvironment().getProperty(EVENT_PATH);
        return path != null && !path.isBlank();
    }

    /** Whether this process was started as a JobSink Job (environment or {@code --K_EVENT_PATH=} argument). */
    static boolean requested(String[] args) {
        String env = System.getenv(EVENT_PATH);
        if (env != null && !env.isBlank()) {
            return true;
        }
        for (String arg : args) {
            if (arg.startsWith("--" + EVENT_PATH + "=") && arg.length() > EVENT_PATH.length() + 3) {
                return true;
            }
        }
        return false;
    }
}
