package dev.stowage.engine.api;

/** Phase of a {@link BackupSession}, as in Stash. */
public enum BackupSessionPhase {
    Pending,
    Skipped,
    Running,
    Succeeded,
    Failed,
    Unknown
}
