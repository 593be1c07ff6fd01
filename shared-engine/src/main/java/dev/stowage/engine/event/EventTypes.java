package dev.stowage.engine.event;

/** Event types and routing extension attributes of the contract (docs/events.md). */
public final class EventTypes {
    public static final String BACKUP_REQUESTED = "dev.stowage.backup.requested";
    public static final String BACKUP_COMPLETED = "dev.stowage.backup.completed";
    public static final String BACKUP_FAILED = "dev.stowage.backup.failed";
    public static final String RESTORE_REQUESTED = "dev.stowage.restore.requested";
    public static final String RESTORE_COMPLETED = "dev.stowage.restore.completed";
    public static final String RESTORE_FAILED = "dev.stowage.restore.failed";
    /** Knative's PingSource tick, which the scheduler turns into a BackupSession. */
    public static final String PING = "dev.knative.sources.ping";
    /** ApiServerSource events (Reference and Resource mode) the scheduler reconciles. */
    public static final String APISERVER_PREFIX = "dev.knative.apiserver.";

    /** Extension: the task that should handle a request, e.g. {@code pg-backup}; Triggers filter on it. */
    public static final String TASK = "stowagetask";
    /** Extension: {@code namespace/name} of the BackupSession or RestoreSession the event is about. */
    public static final String SESSION = "stowagesession";

    /**
     * Extensions Knative adds to an event it gives to a dead-letter sink after the delivery failed
     * (knative eventing {@code pkg/kncloudevents/attributes/knative_error.go}): the destination that
     * failed, its last HTTP status code, and its response body, base64-encoded and cut at 1024 characters.
     */
    public static final String DEAD_LETTER_DESTINATION = "knativeerrordest";
    /** See {@link #DEAD_LETTER_DESTINATION}. */
    public static final String DEAD_LETTER_CODE = "knativeerrorcode";
    /** See {@link #DEAD_LETTER_DESTINATION}. */
    public static final String DEAD_LETTER_DATA = "knativeerrordata";

    private EventTypes() {
    }
}
