package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The object that started a {@link BackupSession}: a {@link BackupConfiguration}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Invoker extends ModelObject {
    private String apiGroup;

    @Required
    private String kind;

    @Required
    private String name;

    public String getApiGroup() {
        return apiGroup;
    }

    public void setApiGroup(String apiGroup) {
        this.apiGroup = apiGroup;
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
}
