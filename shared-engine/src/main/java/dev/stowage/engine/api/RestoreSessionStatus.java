package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Status of a {@link RestoreSession}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreSessionStatus extends ModelObject {
    private RestorePhase phase;

    private Integer totalHosts;

    private String sessionDuration;

    private List<HostRestoreStats> stats;

    private List<Condition> conditions;

    public RestorePhase getPhase() {
        return phase;
    }

    public void setPhase(RestorePhase phase) {
        this.phase = phase;
    }

    public Integer getTotalHosts() {
        return totalHosts;
    }

    public void setTotalHosts(Integer totalHosts) {
        this.totalHosts = totalHosts;
    }

    public String getSessionDuration() {
        return sessionDuration;
    }

    public void setSessionDuration(String sessionDuration) {
        this.sessionDuration = sessionDuration;
    }

    public List<HostRestoreStats> getStats() {
        return stats;
    }

    public void setStats(List<HostRestoreStats> stats) {
        this.stats = stats;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
