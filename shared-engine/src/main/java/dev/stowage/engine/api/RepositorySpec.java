package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Spec of a {@link Repository}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepositorySpec extends ModelObject {
    @Required
    private Backend backend;

    private UsagePolicy usagePolicy;

    public Backend getBackend() {
        return backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
    }

    public UsagePolicy getUsagePolicy() {
        return usagePolicy;
    }

    public void setUsagePolicy(UsagePolicy usagePolicy) {
        this.usagePolicy = usagePolicy;
    }
}
