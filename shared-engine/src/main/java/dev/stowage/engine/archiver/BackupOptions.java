package dev.stowage.engine.archiver;

import dev.stowage.engine.Id;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Settings of one backup.
 *
 * @param hostname    recorded in the snapshot and used to find the parent
 * @param tags        snapshot tags
 * @param excludes    restic exclude patterns
 * @param withAtime   record access times (restic records mtime as atime unless asked)
 * @param time        snapshot time, or null for now
 * @param parent      explicit parent snapshot, or null to pick the latest one with the same host and paths
 * @param force       ignore any parent: read every file
 * @param readThreads files read at the same time
 */
public record BackupOptions(String hostname, List<String> tags, List<String> excludes, boolean withAtime,
                            OffsetDateTime time, Id parent, boolean force, int readThreads) {
    public BackupOptions {
        tags = List.copyOf(tags);
        excludes = List.copyOf(excludes);
        if (readThreads < 1) {
            throw new IllegalArgumentException("readThreads must be at least 1");
        }
    }

    public static BackupOptions defaults(String hostname) {
        return new BackupOptions(hostname, List.of(), List.of(), false, null, null, false, 2);
    }

    public BackupOptions withTags(List<String> newTags) {
        return new BackupOptions(hostname, newTags, excludes, withAtime, time, parent, force, readThreads);
    }

    public BackupOptions withExcludes(List<String> newExcludes) {
        return new BackupOptions(hostname, tags, newExcludes, withAtime, time, parent, force, readThreads);
    }

    public BackupOptions withTime(OffsetDateTime newTime) {
        return new BackupOptions(hostname, tags, excludes, withAtime, newTime, parent, force, readThreads);
    }
}
