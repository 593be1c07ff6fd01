package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Status of a {@link BackupConfiguration}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupConfigurationStatus extends ModelObject {
    private Long observedGeneration;

    private BackupConfigurationPhase phase;

    private List<Condition> conditions;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public BackupConfigurationPhase getPhase() {
        return phase;
    }

    public void setPhase(BackupConfigurationPhase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
