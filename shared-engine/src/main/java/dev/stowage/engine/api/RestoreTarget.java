package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Where a {@link RestoreSession} restores to, and what. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreTarget extends ModelObject {
    @Required
    private TargetRef ref;

    private List<RestoreRule> rules;

    public TargetRef getRef() {
        return ref;
    }

    public void setRef(TargetRef ref) {
        this.ref = ref;
    }

    public List<RestoreRule> getRules() {
        return rules;
    }

    public void setRules(List<RestoreRule> rules) {
        this.rules = rules;
    }
}
