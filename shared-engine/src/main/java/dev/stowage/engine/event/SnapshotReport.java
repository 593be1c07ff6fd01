package dev.stowage.engine.event;

/**
 * One snapshot a backup made, in Stash's {@code snapshots[]} shape plus the full ID.
 *
 * @param name           short snapshot ID, as {@code restic snapshots} shows it
 * @param id             full snapshot ID
 * @param path           the path backed up (for a dump: the stream's file name)
 * @param totalSize      bytes read, human-readable as Stash writes it (e.g. {@code 12.500 MiB})
 * @param uploaded       bytes added to the repository, human-readable
 * @param processingTime Go duration of the backup, e.g. {@code 1m2.5s}
 */
public record SnapshotReport(String name, String id, String path, String totalSize, String uploaded,
                             String processingTime, FileStats fileStats) {
}
