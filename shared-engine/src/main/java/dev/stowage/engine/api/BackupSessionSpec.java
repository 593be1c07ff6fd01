package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Spec of a {@link BackupSession}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSessionSpec extends ModelObject {
    @Required
    private Invoker invoker;

    public Invoker getInvoker() {
        return invoker;
    }

    public void setInvoker(Invoker invoker) {
        this.invoker = invoker;
    }
}
