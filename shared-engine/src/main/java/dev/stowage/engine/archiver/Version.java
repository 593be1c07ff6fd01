package dev.stowage.engine.archiver;

/** The version recorded in snapshots as {@code program_version}. */
final class Version {
    static final String VERSION = "0.1.0";

    private Version() {
    }
}
