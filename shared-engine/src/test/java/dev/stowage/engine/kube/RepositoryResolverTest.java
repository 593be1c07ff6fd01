package dev.stowage.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.api.Repository;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.RepositoryLocation;
import dev.stowage.engine.backend.S3ProxyServer;
import dev.stowage.engine.backend.TestCertificates;
import dev.stowage.engine.backend.TlsTrust;
import dev.stowage.engine.handler.RepositoryTarget;
import dev.stowage.engine.handler.SecretStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Repository's S3 settings and its storage secret become the URL and environment the backend is
 * opened with: region, CA_CERT_DATA and {@code insecureTLS} included, and they take effect on a
 * real HTTPS server.
 */
class RepositoryResolverTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** A Stash-style Repository (Stowage's apiVersion) for {@code endpoint}, with the given s3 extras. */
    private static Repository repository(String endpoint, String extraS3Fields) {
        return SERIALIZATION.unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: Repository
                metadata: {name: minio-repo, namespace: demo}
                spec:
                  backend:
                    s3:
                      endpoint: %s
                      bucket: stash-backup
                      prefix: /demo/postgres
                      region: eu-central-1
                      %s
                    storageSecretName: minio-secret
                """.formatted(endpoint, extraS3Fields), Repository.class);
    }

    private static RepositoryResolver resolver(Map<String, String> secret) {
        SecretStore store = (namespace, name) -> {
            assertEquals("demo/minio-secret", namespace + "/" + name);
            return secret;
        };
        return new RepositoryResolver(null, store); // target() reads only the secret
    }

    private static Map<String, String> secret(String... extra) {
        Map<String, String> s = new HashMap<>(Map.of("RESTIC_PASSWORD", "pw",
                "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY));
        for (int i = 0; i < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return s;
    }

    @Test
    void insecureTlsAndTheCaBundleReachTheEnvironment() {
        RepositoryTarget t = resolver(secret(TlsTrust.CA_CERT_DATA, "PEM TEXT"))
                .target(repository("https://minio.storage.svc:9000", "insecureTLS: true"));
        assertEquals("s3:https://minio.storage.svc:9000/stash-backup/demo/postgres", t.url());
        assertEquals("pw", t.password());
        assertEquals(Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                "AWS_DEFAULT_REGION", "eu-central-1", TlsTrust.CA_CERT_DATA, "PEM TEXT", TlsTrust.INSECURE_TLS, "true"), t.env());
    }

    @Test
    void onlyTheSpecTurnsVerificationOff() {
        for (String field : List.of("", "insecureTLS: false")) {
            RepositoryTarget t = resolver(secret(TlsTrust.INSECURE_TLS, "true"))
                    .target(repository("https://minio.storage.svc:9000", field));
            assertFalse(t.env().containsKey(TlsTrust.INSECURE_TLS), field + ": " + t.env());
            assertFalse(TlsTrust.fromEnv(t.env()).insecure(), field);
        }
    }

    @Test
    void theSettingsTakeEffectOnAnHttpsServer() throws Exception {
        TestCertificates certs = TestCertificates.forLocalhost();
        try (S3ProxyServer server = S3ProxyServer.https(certs.serverContext())) {
            server.createBucket("stash-backup");
            String endpoint = server.endpoint().toString();

            // neither: the server's certificate is refused
            RepositoryTarget plain = resolver(secret()).target(repository(endpoint, ""));
            try (Backend b = open(plain)) {
                IOException e = assertThrows(IOException.class, () -> b.list(FileType.SNAPSHOT));
                assertTrue(e.getMessage().contains("TLS certificate was not accepted"), e.getMessage());
            }
            // the CA in the storage secret, as Stash keeps it
            RepositoryTarget withCa = resolver(secret(TlsTrust.CA_CERT_DATA, certs.caPem())).target(repository(endpoint, ""));
            try (Backend b = open(withCa)) {
                assertEquals(List.of(), b.list(FileType.SNAPSHOT));
            }
            // spec.backend.s3.insecureTLS
            RepositoryTarget insecure = resolver(secret()).target(repository(endpoint, "insecureTLS: true"));
            try (Backend b = open(insecure)) {
                assertEquals(List.of(), b.list(FileType.SNAPSHOT));
            }
        }
    }

    /** As the handlers open a target ({@code Repositories.open}). */
    private static Backend open(RepositoryTarget target) {
        return RepositoryLocation.parse(target.url()).open(target.env());
    }
}
