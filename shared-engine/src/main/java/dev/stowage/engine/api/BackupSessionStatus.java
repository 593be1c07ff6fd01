package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Status of a {@link BackupSession}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSessionStatus extends ModelObject {
    private BackupSessionPhase phase;

    private String sessionDuration;

    private List<BackupTargetStatus> targets;

    private List<Condition> conditions;

    public BackupSessionPhase getPhase() {
        return phase;
    }

    public void setPhase(BackupSessionPhase phase) {
        this.phase = phase;
    }

    public String getSessionDuration() {
        return sessionDuration;
    }

    public void setSessionDuration(String sessionDuration) {
        this.sessionDuration = sessionDuration;
    }

    public List<BackupTargetStatus> getTargets() {
        return targets;
    }

    public void setTargets(List<BackupTargetStatus> targets) {
        this.targets = targets;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
