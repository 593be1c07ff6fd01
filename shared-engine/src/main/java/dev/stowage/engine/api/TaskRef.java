package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The task that takes or restores a backup, and its parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskRef extends ModelObject {
    @JsonPropertyDescription("Name of the task, e.g. postgres-backup-16.1")
    @Required
    private String name;

    @JsonPropertyDescription("Parameters passed to the task")
    private List<Param> params;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<Param> getParams() {
        return params;
    }

    public void setParams(List<Param> params) {
        this.params = params;
    }
}
