package dev.stowage.engine.api;

/** Phase of one target of a {@link BackupSession}, as in Stash. */
public enum TargetPhase {
    Pending,
    Running,
    Succeeded,
    Failed
}
