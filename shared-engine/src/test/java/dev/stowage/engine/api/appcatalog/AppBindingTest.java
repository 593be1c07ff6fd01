package dev.stowage.engine.api.appcatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.api.CrdFixtures;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** KubeDB's AppBinding read as KubeDB writes it, and the credentials in its Secret. */
@EnableKubernetesMockClient(crud = true)
class AppBindingTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    KubernetesClient client;

    static String kubedbYaml() throws IOException {
        String name = "/dev/stowage/engine/api/kubedb-appbinding.yaml";
        try (InputStream in = AppBindingTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void assertKubeDbPostgres(AppBinding binding) {
        assertEquals("appcatalog.appscode.com/v1alpha1", binding.getApiVersion());
        assertEquals("sample-postgres", binding.getMetadata().getName());
        AppBindingSpec spec = binding.getSpec();
        assertEquals("kubedb.com/postgres", spec.getType());
        assertEquals("14.2", spec.getVersion());
        ServiceReference service = spec.getClientConfig().getService();
        assertEquals("postgresql", service.getScheme());
        assertEquals("sample-postgres", service.getName());
        assertNull(service.getNamespace(), "the AppBinding's namespace");
        assertEquals(5432, service.getPort());
        assertEquals("sslmode=disable", service.getQuery());
        assertNull(spec.getClientConfig().getUrl());
        assertEquals("sample-postgres-auth", spec.getSecret().getName());
        assertEquals("postgres-backup-14.0", spec.getParameters().at("/stash/addon/backupTask/name").asText());
    }

    @Test
    void readsKubeDbAppBinding() throws IOException {
        assertKubeDbPostgres(SERIALIZATION.unmarshal(kubedbYaml(), AppBinding.class));
    }

    @Test
    void readsKubeDbAppBindingFromTheApiServer() throws IOException {
        CrdFixtures.registerAll(client);
        // stored with every field KubeDB writes (appRef, secretTransforms, tlsSecret, ...)
        client.genericKubernetesResources("appcatalog.appscode.com/v1alpha1", "AppBinding").inNamespace("demo")
                .resource(SERIALIZATION.unmarshal(kubedbYaml(), GenericKubernetesResource.class)).create();
        AppBinding binding = client.resources(AppBinding.class).inNamespace("demo").withName("sample-postgres").get();
        assertKubeDbPostgres(binding);
    }

    @Test
    void readsUrlClientConfig() {
        AppBinding binding = SERIALIZATION.unmarshal("""
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: external-pg, namespace: demo}
                spec:
                  type: kubedb.com/postgres
                  clientConfig:
                    url: postgresql://pg.example.com:5432/app
                    insecureSkipTLSVerify: true
                    caBundle: LS0tLS1CRUdJTg==
                  secret: {name: external-pg-auth}
                """, AppBinding.class);
        ClientConfig config = binding.getSpec().getClientConfig();
        assertEquals("postgresql://pg.example.com:5432/app", config.getUrl());
        assertNull(config.getService());
        assertTrue(config.getInsecureSkipTLSVerify());
        assertEquals("LS0tLS1CRUdJTg==", config.getCaBundle());
        assertNull(binding.getSpec().getParameters());
        assertFalse(SERIALIZATION.asJson(binding).contains("null"));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialsFromKubeDbPostgresKeys() {
        Secret secret = new SecretBuilder().withNewMetadata().withName("sample-postgres-auth").endMetadata()
                .addToData("POSTGRES_USER", b64("postgres")).addToData("POSTGRES_PASSWORD", b64("s3cr3t:é"))
                .build();
        AppBindingCredentials credentials = AppBindingCredentials.of(secret);
        assertEquals("postgres", credentials.username());
        assertEquals("s3cr3t:é", credentials.password());
        assertFalse(credentials.toString().contains("s3cr3t"));
    }

    @Test
    void credentialsFromGenericKeys() {
        Secret data = new SecretBuilder().withNewMetadata().withName("auth").endMetadata()
                .addToData("username", b64("app")).addToData("password", b64("pw")).build();
        assertEquals(new AppBindingCredentials("app", "pw"), AppBindingCredentials.of(data));
        Secret stringData = new SecretBuilder().withNewMetadata().withName("auth").endMetadata()
                .addToStringData("username", "app").addToStringData("password", "pw").build();
        assertEquals(new AppBindingCredentials("app", "pw"), AppBindingCredentials.of(stringData));
    }

    @Test
    void missingCredentialsNameTheKeys() {
        Secret secret = new SecretBuilder().withNewMetadata().withName("auth").endMetadata()
                .addToData("username", b64("app")).build();
        StowageException e = assertThrows(StowageException.class, () -> AppBindingCredentials.of(secret));
        assertEquals("Secret auth has no POSTGRES_PASSWORD or password key", e.getMessage());
    }
}
