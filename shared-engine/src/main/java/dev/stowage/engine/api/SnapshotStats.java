package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One snapshot taken for a host in a backup session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotStats extends ModelObject {
    @JsonPropertyDescription("Snapshot ID")
    private String name;

    private String path;

    private String totalSize;

    private String uploaded;

    private String processingTime;

    private FileStats fileStats;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getTotalSize() {
        return totalSize;
    }

    public void setTotalSize(String totalSize) {
        this.totalSize = totalSize;
    }

    public String getUploaded() {
        return uploaded;
    }

    public void setUploaded(String uploaded) {
        this.uploaded = uploaded;
    }

    public String getProcessingTime() {
        return processingTime;
    }

    public void setProcessingTime(String processingTime) {
        this.processingTime = processingTime;
    }

    public FileStats getFileStats() {
        return fileStats;
    }

    public void setFileStats(FileStats fileStats) {
        this.fileStats = fileStats;
    }
}
