package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Which snapshots or paths a host restores. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreRule extends ModelObject {
    @JsonPropertyDescription("Snapshot IDs to restore; \"latest\" for the newest of the source host")
    private List<String> snapshots;

    @JsonPropertyDescription("Paths to restore from the newest snapshot that contains them")
    private List<String> paths;

    @JsonPropertyDescription("Host whose snapshots are restored; the restoring host if empty")
    private String sourceHost;

    @JsonPropertyDescription("restic include patterns")
    private List<String> include;

    @JsonPropertyDescription("restic exclude patterns")
    private List<String> exclude;

    public List<String> getSnapshots() {
        return snapshots;
    }

    public void setSnapshots(List<String> snapshots) {
        this.snapshots = snapshots;
    }

    public List<String> getPaths() {
        return paths;
    }

    public void setPaths(List<String> paths) {
        this.paths = paths;
    }

    public String getSourceHost() {
        return sourceHost;
    }

    public void setSourceHost(String sourceHost) {
        this.sourceHost = sourceHost;
    }

    public List<String> getInclude() {
        return include;
    }

    public void setInclude(List<String> include) {
        this.include = include;
    }

    public List<String> getExclude() {
        return exclude;
    }

    public void setExclude(List<String> exclude) {
        this.exclude = exclude;
    }
}
