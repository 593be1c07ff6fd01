package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A reference to a {@link Repository}; an empty namespace means the referrer's own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepositoryRef extends ModelObject {
    @Required
    private String name;

    @JsonPropertyDescription("Namespace of the Repository; the referrer's namespace if empty")
    private String namespace;

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
