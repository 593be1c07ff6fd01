package dev.stowage.engine.api;

/** Phase of a {@link RestoreSession}, as in Stash. */
public enum RestorePhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
    Invalid
}
