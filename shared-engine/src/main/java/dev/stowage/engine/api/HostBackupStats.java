package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The backup of one host in a backup session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostBackupStats extends ModelObject {
    private String hostname;

    private HostPhase phase;

    private String duration;

    private String error;

    private List<SnapshotStats> snapshots;

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public HostPhase getPhase() {
        return phase;
    }

    public void setPhase(HostPhase phase) {
        this.phase = phase;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }

    public List<SnapshotStats> getSnapshots() {
        return snapshots;
    }

    public void setSnapshots(List<SnapshotStats> snapshots) {
        this.snapshots = snapshots;
    }
}
