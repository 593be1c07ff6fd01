package dev.stowage.engine.api;

/** Phase of one host of a backup or restore, as in Stash. */
public enum HostPhase {
    Succeeded,
    Failed,
    Running,
    Unknown
}
