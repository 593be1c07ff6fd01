package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** The namespaces allowed to use a {@link Repository}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllowedNamespaces extends ModelObject {
    @Default("Same")
    private FromNamespaces from = FromNamespaces.Same;

    @JsonPropertyDescription("Namespaces allowed when from is Selector")
    private LabelSelector selector;

    public FromNamespaces getFrom() {
        return from;
    }

    public void setFrom(FromNamespaces from) {
        this.from = from;
    }

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }
}
