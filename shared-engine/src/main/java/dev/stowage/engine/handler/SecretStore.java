package dev.stowage.engine.handler;

import dev.stowage.engine.event.SecretKeyRef;
import java.util.Map;

/** Reads Kubernetes Secrets; {@link MissingSecretException} when a secret or key is absent. */
public interface SecretStore {
    /** All keys of the secret {@code name} in {@code namespace}, decoded. */
    Map<String, String> read(String namespace, String name);

    /** One key of a secret; {@code defaultNamespace} applies when the reference names none. */
    default String read(SecretKeyRef ref, String defaultNamespace) {
        String namespace = ref.namespace() != null ? ref.namespace() : defaultNamespace;
        String value = read(namespace, ref.name()).get(ref.key());
        if (value == null) {
            throw new MissingSecretException("secret " + namespace + "/" + ref.name() + " has no key " + ref.key());
        }
        return value;
    }

    /** For processes without a cluster: every secret reference fails, naming the secret. */
    static SecretStore none() {
        return (namespace, name) -> {
            throw new MissingSecretException("secret " + namespace + "/" + name
                    + " cannot be read: this function has no Kubernetes API access (use a file or env reference)");
        };
    }
}
