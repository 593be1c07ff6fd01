package dev.stowage.engine.event;

/** One key of a Kubernetes Secret; a null namespace means the namespace of the request. */
public record SecretKeyRef(String namespace, String name, String key) {
    public SecretKeyRef {
        EventData.require(name, "secret.name");
        EventData.require(key, "secret.key");
    }
}
