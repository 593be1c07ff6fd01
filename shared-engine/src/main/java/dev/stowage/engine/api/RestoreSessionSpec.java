package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Spec of a {@link RestoreSession}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreSessionSpec extends ModelObject {
    @Required
    private RepositoryRef repository;

    private TaskRef task;

    private RestoreTarget target;

    @JsonPropertyDescription("Longest the restore may run, e.g. 30m")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
    private String timeOut;

    public RepositoryRef getRepository() {
        return repository;
    }

    public void setRepository(RepositoryRef repository) {
        this.repository = repository;
    }

    public TaskRef getTask() {
        return task;
    }

    public void setTask(TaskRef task) {
        this.task = task;
    }

    public RestoreTarget getTarget() {
        return target;
    }

    public void setTarget(RestoreTarget target) {
        this.target = target;
    }

    public String getTimeOut() {
        return timeOut;
    }

    public void setTimeOut(String timeOut) {
        this.timeOut = timeOut;
    }
}
