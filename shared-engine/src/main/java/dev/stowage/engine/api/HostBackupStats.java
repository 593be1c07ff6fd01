package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The backup of one host in a backup session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostBackupStats extends HostSessionStats {
    private List<SnapshotStats> snapshots;

    public List<SnapshotStats> getSnapshots() {
        return snapshots;
    }

    public void setSnapshots(List<SnapshotStats> snapshots) {
        this.snapshots = snapshots;
    }
}
