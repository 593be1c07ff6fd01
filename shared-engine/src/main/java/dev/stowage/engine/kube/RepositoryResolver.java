package dev.stowage.engine.kube;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.api.Backend;
import dev.stowage.engine.api.GcsSpec;
import dev.stowage.engine.api.LocalSpec;
import dev.stowage.engine.api.Repository;
import dev.stowage.engine.api.RepositoryRef;
import dev.stowage.engine.api.S3Spec;
import dev.stowage.engine.api.UsagePolicies;
import dev.stowage.engine.backend.RepositoryLocation;
import dev.stowage.engine.backend.TlsTrust;
import dev.stowage.engine.handler.MissingSecretException;
import dev.stowage.engine.handler.RepositoryTarget;
import dev.stowage.engine.handler.SecretStore;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;

/** Turns a Repository custom resource into a {@link RepositoryTarget}, enforcing its usage policy. */
public final class RepositoryResolver {
    /** Key of the storage secret that holds the repository password, as in Stash. */
    public static final String PASSWORD_KEY = "RESTIC_PASSWORD";

    private final KubernetesClient client;
    private final SecretStore secrets;

    public RepositoryResolver(KubernetesClient client, SecretStore secrets) {
        this.client = client;
        this.secrets = secrets;
    }

    /** The Repository {@code ref} names, looked up from {@code callerNamespace} and checked against its usage policy. */
    public Repository find(RepositoryRef ref, String callerNamespace) {
        if (ref == null || ref.getName() == null) {
            throw new StowageException("no repository named (spec.repository.name)");
        }
        String namespace = ref.getNamespace() != null && !ref.getNamespace().isEmpty() ? ref.getNamespace()
                : callerNamespace;
        Repository repo = client.resources(Repository.class).inNamespace(namespace).withName(ref.getName()).get();
        if (repo == null) {
            throw new StowageException("Repository " + namespace + "/" + ref.getName() + " not found");
        }
        Namespace caller = client.namespaces().withName(callerNamespace).get();
        Map<String, String> labels = caller != null && caller.getMetadata().getLabels() != null
                ? caller.getMetadata().getLabels() : Map.of();
        if (!UsagePolicies.allows(repo, callerNamespace, labels)) {
            throw new StowageException("Repository " + namespace + "/" + ref.getName()
                    + " may not be used from namespace " + callerNamespace
                    + " (see its spec.usagePolicy.allowedNamespaces)");
        }
        return repo;
    }

    /**
     * URL, password and backend environment of {@code repo}: every key of its storage secret but the
     * password (credentials, and {@code CA_CERT_DATA}, a PEM bundle of CAs the backend trusts in
     * addition to the JVM's), {@code AWS_DEFAULT_REGION} from {@code spec.backend.s3.region}, and
     * {@code STOWAGE_INSECURE_TLS=true} when {@code spec.backend.s3.insecureTLS} is true. Only the
     * spec turns verification off: the secret's own {@code STOWAGE_INSECURE_TLS}, if any, is dropped.
     */
    public RepositoryTarget target(Repository repo) {
        String namespace = repo.getMetadata().getNamespace();
        String name = repo.getMetadata().getName();
        Backend backend = repo.getSpec() == null ? null : repo.getSpec().getBackend();
        if (backend == null) {
            throw new StowageException("Repository " + namespace + "/" + name + " has no spec.backend");
        }
        if (backend.getStorageSecretName() == null) {
            throw new StowageException("Repository " + namespace + "/" + name + " has no spec.backend.storageSecretName");
        }
        Map<String, String> secret = secrets.read(namespace, backend.getStorageSecretName());
        String password = secret.get(PASSWORD_KEY);
        if (password == null) {
            throw new MissingSecretException("secret " + namespace + "/" + backend.getStorageSecretName()
                    + " has no key " + PASSWORD_KEY);
        }
        Map<String, String> env = new HashMap<>(secret);
        env.remove(PASSWORD_KEY);
        env.remove(TlsTrust.INSECURE_TLS);
        if (backend.getS3() != null && backend.getS3().getRegion() != null) {
            env.put(RepositoryLocation.DEFAULT_REGION, backend.getS3().getRegion());
        }
        if (backend.getS3() != null && Boolean.TRUE.equals(backend.getS3().getInsecureTLS())) {
            env.put(TlsTrust.INSECURE_TLS, "true");
        }
        return new RepositoryTarget(url(backend, namespace + "/" + name), password, env);
    }

    static String url(Backend backend, String what) {
        LocalSpec local = backend.getLocal();
        S3Spec s3 = backend.getS3();
        GcsSpec gcs = backend.getGcs();
        int kinds = (local != null ? 1 : 0) + (s3 != null ? 1 : 0) + (gcs != null ? 1 : 0);
        if (kinds != 1) {
            throw new StowageException("Repository " + what + " must set exactly one of spec.backend.local, s3, gcs");
        }
        if (local != null) {
            String path = local.getMountPath();
            if (local.getSubPath() != null && !local.getSubPath().isEmpty()) {
                path = path.replaceAll("/+$", "") + "/" + local.getSubPath();
            }
            return "local:" + path;
        }
        if (s3 != null) {
            String endpoint = s3.getEndpoint() == null || s3.getEndpoint().isEmpty() ? "s3.amazonaws.com"
                    : s3.getEndpoint().replaceAll("/+$", "");
            return "s3:" + endpoint + "/" + s3.getBucket() + prefix(s3.getPrefix(), "/");
        }
        return "gs:" + gcs.getBucket() + ":" + (gcs.getPrefix() == null ? "/" : prefix(gcs.getPrefix(), "/"));
    }

    private static String prefix(String prefix, String separator) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        return separator + prefix.replaceAll("^/+", "");
    }
}
