package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Base of the custom resources' spec, status and value classes: two objects are equal when their
 * JSON forms are, and {@link #toString()} is that JSON. Lets a caller skip a status write that
 * would change nothing. Fields this version does not know (a newer CRD, or Stash fields such as
 * {@code driver} or {@code runtimeSettings}) are ignored on read (the annotation is inherited).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class ModelObject {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean equals(Object o) {
        return o == this || (o != null && o.getClass() == getClass() && json(this).equals(json(o)));
    }

    @Override
    public int hashCode() {
        return json(this).hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + json(this);
    }

    private static JsonNode json(Object o) {
        return JSON.valueToTree(o);
    }
}
