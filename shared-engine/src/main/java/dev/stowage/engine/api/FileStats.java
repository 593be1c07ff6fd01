package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** File counts of one snapshot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileStats extends ModelObject {
    private Long totalFiles;

    private Long newFiles;

    private Long modifiedFiles;

    private Long unmodifiedFiles;

    public Long getTotalFiles() {
        return totalFiles;
    }

    public void setTotalFiles(Long totalFiles) {
        this.totalFiles = totalFiles;
    }

    public Long getNewFiles() {
        return newFiles;
    }

    public void setNewFiles(Long newFiles) {
        this.newFiles = newFiles;
    }

    public Long getModifiedFiles() {
        return modifiedFiles;
    }

    public void setModifiedFiles(Long modifiedFiles) {
        this.modifiedFiles = modifiedFiles;
    }

    public Long getUnmodifiedFiles() {
        return unmodifiedFiles;
    }

    public void setUnmodifiedFiles(Long unmodifiedFiles) {
        this.unmodifiedFiles = unmodifiedFiles;
    }
}
