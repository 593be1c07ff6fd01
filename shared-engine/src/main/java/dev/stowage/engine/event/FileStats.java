package dev.stowage.engine.event;

/** Stash's {@code fileStats} of one snapshot. */
public record FileStats(long totalFiles, long newFiles, long modifiedFiles, long unmodifiedFiles) {
}
