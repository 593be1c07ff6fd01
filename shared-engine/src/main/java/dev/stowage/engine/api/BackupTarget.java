package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** What a {@link BackupConfiguration} backs up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupTarget extends ModelObject {
    @Required
    private TargetRef ref;

    @JsonPropertyDescription("Paths to back up")
    private List<String> paths;

    @JsonPropertyDescription("restic exclude patterns")
    private List<String> exclude;

    public TargetRef getRef() {
        return ref;
    }

    public void setRef(TargetRef ref) {
        this.ref = ref;
    }

    public List<String> getPaths() {
        return paths;
    }

    public void setPaths(List<String> paths) {
        this.paths = paths;
    }

    public List<String> getExclude() {
        return exclude;
    }

    public void setExclude(List<String> exclude) {
        this.exclude = exclude;
    }
}
