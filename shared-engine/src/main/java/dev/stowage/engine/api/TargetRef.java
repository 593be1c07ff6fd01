package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The object backed up or restored, e.g. an AppBinding, a Deployment or a PVC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetRef extends ModelObject {
    private String apiVersion;

    @Required
    private String kind;

    @Required
    private String name;

    @JsonPropertyDescription("Namespace of the target; the referrer's namespace if empty")
    private String namespace;

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }
}
