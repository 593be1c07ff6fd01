package dev.stowage.functions.adapter;

/**
 * The Knative JobSink Job mode: {@code K_EVENT_PATH} (set by the JobSink on the Job's containers,
 * or given as a property) names the directory holding the event.
 */
public final class JobSinkMode {
    /** The variable the JobSink sets: the directory of the mounted event Secret (file {@code event}). */
    public static final String EVENT_PATH = "K_EVENT_PATH";
    /** Where the reply goes: a Broker's ingress URL (the Job's env, or a SinkBinding's). */
    public static final String SINK = "K_SINK";

    private JobSinkMode() {
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
