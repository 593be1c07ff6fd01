package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The backup of one target in a backup session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupTargetStatus extends ModelObject {
    private TargetRef ref;

    private Integer totalHosts;

    private TargetPhase phase;

    private List<HostBackupStats> stats;

    public TargetRef getRef() {
        return ref;
    }

    public void setRef(TargetRef ref) {
        this.ref = ref;
    }

    public Integer getTotalHosts() {
        return totalHosts;
    }

    public void setTotalHosts(Integer totalHosts) {
        this.totalHosts = totalHosts;
    }

    public TargetPhase getPhase() {
        return phase;
    }

    public void setPhase(TargetPhase phase) {
        this.phase = phase;
    }

    public List<HostBackupStats> getStats() {
        return stats;
    }

    public void setStats(List<HostBackupStats> stats) {
        this.stats = stats;
    }
}
