package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** One parameter of a task: a name and its value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Param extends ModelObject {
    @Required
    private String name;

    @Required
    private String value;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }
}
