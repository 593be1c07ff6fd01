package dev.stowage.engine.archiver;

import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotSummary;
import java.util.List;

/**
 * The outcome of a backup.
 *
 * @param warnings files that could not be read and are missing from the snapshot
 */
public record BackupResult(Snapshot snapshot, SnapshotSummary summary, List<String> warnings) {
    public BackupResult {
        warnings = List.copyOf(warnings);
    }
}
