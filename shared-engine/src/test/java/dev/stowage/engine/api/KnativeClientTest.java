package dev.stowage.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.knative.sources.v1.PingSourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/** The Knative client the scheduler uses works with the engine's Jackson and HTTP client. */
@EnableKubernetesMockClient(crud = true)
class KnativeClientTest {
    KubernetesClient client;

    @Test
    void pingSourceRoundTrip() {
        KnativeClient knative = client.adapt(KnativeClient.class);
        PingSource source = new PingSourceBuilder().withNewMetadata().withName("sample-postgres-backup")
                .withNamespace("demo").endMetadata().withNewSpec().withSchedule("*/5 * * * *")
                .withData("{\"backupConfiguration\":\"sample-postgres-backup\"}").endSpec().build();
        knative.pingSources().inNamespace("demo").resource(source).create();
        PingSource got = knative.pingSources().inNamespace("demo").withName("sample-postgres-backup").get();
        assertEquals("*/5 * * * *", got.getSpec().getSchedule());
        assertEquals(source.getSpec().getData(), got.getSpec().getData());
    }
}
