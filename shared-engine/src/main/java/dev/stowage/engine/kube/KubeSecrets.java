package dev.stowage.engine.kube;

import dev.stowage.engine.handler.MissingSecretException;
import dev.stowage.engine.handler.SecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Secrets read through the Kubernetes API. */
public final class KubeSecrets implements SecretStore {
    private final KubernetesClient client;

    public KubeSecrets(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Map<String, String> read(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new MissingSecretException("secret " + namespace + "/" + name + " not found");
        }
        Map<String, String> values = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k,
                    new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }
}
