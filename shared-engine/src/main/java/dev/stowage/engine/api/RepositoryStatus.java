package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Status of a {@link Repository}, written after each backup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepositoryStatus extends ModelObject {
    private Long observedGeneration;

    @JsonPropertyDescription("RFC 3339 time of the first backup")
    private String firstBackupTime;

    @JsonPropertyDescription("RFC 3339 time of the last successful backup")
    private String lastBackupTime;

    @JsonPropertyDescription("Result of the last integrity check")
    private Boolean integrity;

    private String totalSize;

    private Long snapshotCount;

    private Long snapshotsRemovedOnLastCleanup;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getFirstBackupTime() {
        return firstBackupTime;
    }

    public void setFirstBackupTime(String firstBackupTime) {
        this.firstBackupTime = firstBackupTime;
    }

    public String getLastBackupTime() {
        return lastBackupTime;
    }

    public void setLastBackupTime(String lastBackupTime) {
        this.lastBackupTime = lastBackupTime;
    }

    public Boolean getIntegrity() {
        return integrity;
    }

    public void setIntegrity(Boolean integrity) {
        this.integrity = integrity;
    }

    public String getTotalSize() {
        return totalSize;
    }

    public void setTotalSize(String totalSize) {
        this.totalSize = totalSize;
    }

    public Long getSnapshotCount() {
        return snapshotCount;
    }

    public void setSnapshotCount(Long snapshotCount) {
        this.snapshotCount = snapshotCount;
    }

    public Long getSnapshotsRemovedOnLastCleanup() {
        return snapshotsRemovedOnLastCleanup;
    }

    public void setSnapshotsRemovedOnLastCleanup(Long snapshotsRemovedOnLastCleanup) {
        this.snapshotsRemovedOnLastCleanup = snapshotsRemovedOnLastCleanup;
    }
}
