package dev.stowage.engine.kube;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.api.TargetRef;
import dev.stowage.engine.api.appcatalog.AppBinding;
import dev.stowage.engine.api.appcatalog.AppBindingCredentials;
import dev.stowage.engine.api.appcatalog.ClientConfig;
import dev.stowage.engine.api.appcatalog.ServiceReference;
import dev.stowage.engine.handler.MissingSecretException;
import dev.stowage.engine.postgres.PgConnection;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URISyntaxException;

/** Reads KubeDB AppBindings (as KubeDB writes them) into PostgreSQL connections. */
public final class AppBindings {
    private static final int DEFAULT_PORT = 5432;

    private final KubernetesClient client;

    public AppBindings(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The connection described by the AppBinding {@code ref} names; {@code database} overrides the
     * database of its URL or service path (null: keep it).
     */
    public PgConnection connection(TargetRef ref, String defaultNamespace, String database) {
        if (ref == null || ref.getName() == null) {
            throw new StowageException("no target named (spec.target.ref)");
        }
        if (ref.getKind() != null && !ref.getKind().equals("AppBinding")) {
            throw new StowageException("target kind " + ref.getKind() + " is not supported by the PostgreSQL tasks; "
                    + "use an AppBinding");
        }
        String namespace = ref.getNamespace() != null && !ref.getNamespace().isEmpty() ? ref.getNamespace()
                : defaultNamespace;
        AppBinding binding = client.resources(AppBinding.class).inNamespace(namespace).withName(ref.getName()).get();
        if (binding == null) {
            throw new StowageException("AppBinding " + namespace + "/" + ref.getName() + " not found");
        }
        ClientConfig config = binding.getSpec() == null ? null : binding.getSpec().getClientConfig();
        if (config == null) {
            throw new StowageException("AppBinding " + namespace + "/" + ref.getName() + " has no spec.clientConfig");
        }
        String host;
        int port;
        String db;
        if (config.getUrl() != null && !config.getUrl().isEmpty()) {
            URI uri;
            try {
                uri = new URI(config.getUrl());
            } catch (URISyntaxException e) {
                throw new StowageException("AppBinding " + namespace + "/" + ref.getName() + " has an invalid "
                        + "clientConfig.url: " + e.getMessage());
            }
            host = uri.getHost();
            port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
            db = path(uri.getPath());
        } else if (config.getService() != null) {
            ServiceReference service = config.getService();
            host = service.getName() + "." + (service.getNamespace() != null ? service.getNamespace() : namespace)
                    + ".svc";
            port = service.getPort() != null ? service.getPort() : DEFAULT_PORT;
            db = path(service.getPath());
        } else {
            throw new StowageException("AppBinding " + namespace + "/" + ref.getName()
                    + " has neither clientConfig.url nor clientConfig.service");
        }
        if (binding.getSpec().getSecret() == null || binding.getSpec().getSecret().getName() == null) {
            throw new MissingSecretException("AppBinding " + namespace + "/" + ref.getName() + " names no spec.secret");
        }
        String secretName = binding.getSpec().getSecret().getName();
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
            throw new MissingSecretException("secret " + namespace + "/" + secretName + " of AppBinding "
                    + ref.getName() + " not found");
        }
        AppBindingCredentials credentials = AppBindingCredentials.of(secret);
        return new PgConnection(host, port, database != null ? database : db, credentials.username(),
                credentials.password());
    }

    private static String path(String path) {
        if (path == null) {
            return null;
        }
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? null : trimmed;
    }
}
