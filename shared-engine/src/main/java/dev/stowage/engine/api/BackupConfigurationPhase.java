package dev.stowage.engine.api;

/** Phase of a {@link BackupConfiguration} (Stash's {@code BackupInvokerPhase}). */
public enum BackupConfigurationPhase {
    Invalid,
    Ready,
    NotReady
}
