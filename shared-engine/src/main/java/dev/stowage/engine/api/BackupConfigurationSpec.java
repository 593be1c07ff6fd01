package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Spec of a {@link BackupConfiguration}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupConfigurationSpec extends ModelObject {
    @JsonPropertyDescription("Cron schedule of the backups")
    @Required
    private String schedule;

    private TaskRef task;

    @Required
    private RepositoryRef repository;

    private BackupTarget target;

    private RetentionPolicy retentionPolicy;

    @JsonPropertyDescription("No new backup sessions while true")
    private boolean paused;

    @JsonPropertyDescription("Finished BackupSessions kept")
    @Default("1")
    @Min(0)
    private Integer backupHistoryLimit = 1;

    @JsonPropertyDescription("Longest a backup session may run, e.g. 30m")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
    private String timeOut;

    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public TaskRef getTask() {
        return task;
    }

    public void setTask(TaskRef task) {
        this.task = task;
    }

    public RepositoryRef getRepository() {
        return repository;
    }

    public void setRepository(RepositoryRef repository) {
        this.repository = repository;
    }

    public BackupTarget getTarget() {
        return target;
    }

    public void setTarget(BackupTarget target) {
        this.target = target;
    }

    public RetentionPolicy getRetentionPolicy() {
        return retentionPolicy;
    }

    public void setRetentionPolicy(RetentionPolicy retentionPolicy) {
        this.retentionPolicy = retentionPolicy;
    }

    public boolean isPaused() {
        return paused;
    }

    public void setPaused(boolean paused) {
        this.paused = paused;
    }

    public Integer getBackupHistoryLimit() {
        return backupHistoryLimit;
    }

    public void setBackupHistoryLimit(Integer backupHistoryLimit) {
        this.backupHistoryLimit = backupHistoryLimit;
    }

    public String getTimeOut() {
        return timeOut;
    }

    public void setTimeOut(String timeOut) {
        this.timeOut = timeOut;
    }
}
