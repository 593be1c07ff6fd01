package dev.stowage.engine.event;

import java.util.List;

/**
 * Stash's per-host {@code stats[]} entry of a session.
 *
 * @param phase     {@code Succeeded} or {@code Failed}
 * @param duration  Go duration string
 * @param error     why it failed, or null
 * @param snapshots snapshots made (empty for a restore or a failure)
 */
public record HostStats(String hostname, String phase, String duration, String error, List<SnapshotReport> snapshots) {
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    public HostStats {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(phase);
    }
}
