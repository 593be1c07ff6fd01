package dev.stowage.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stowage.engine.api.CrdFixtures;
import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The Broker a configuration's PingSource sends its ticks to: by default the named Broker in the
 * configuration's own namespace; with a broker namespace, the one Broker Stowage is installed with.
 */
@EnableKubernetesMockClient(crud = true)
class SchedulerBrokerTest {
    KubernetesClient client;

    @Test
    void pingSourceSinkNamesTheBrokerAndFollowsItsNamespace() {
        client.getConfiguration().setRequestRetryBackoffLimit(0);
        CrdFixtures.registerAll(client);
        HasMetadata config = client.getKubernetesSerialization().unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: nightly, namespace: demo}
                spec:
                  schedule: "0 3 * * *"
                  task: {name: pg-backup}
                  repository: {name: pg-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        client.resource(config).create();
        KubeSessions sessions = new KubeSessions(client, new RepositoryResolver(client, new KubeSecrets(client)),
                new AppBindings(client), Clock.systemUTC());

        new SchedulerHandler(client, sessions, "stowage", "stowage", "/stowage/scheduler", Clock.systemUTC())
                .reconcileConfiguration("demo", "nightly");
        var ref = ping().getSpec().getSink().getRef();
        assertEquals("Broker", ref.getKind());
        assertEquals("eventing.knative.dev/v1", ref.getApiVersion());
        assertEquals("stowage", ref.getName());
        assertEquals("stowage", ref.getNamespace());

        // moving the Broker (here: back to the default, the configuration's namespace) updates the PingSource
        new SchedulerHandler(client, sessions, "default", "/stowage/scheduler", Clock.systemUTC())
                .reconcileConfiguration("demo", "nightly");
        ref = ping().getSpec().getSink().getRef();
        assertEquals("default", ref.getName());
        assertNull(ref.getNamespace());
    }

    private PingSource ping() {
        return client.adapt(KnativeClient.class).pingSources().inNamespace("demo")
                .withName(SchedulerHandler.pingSourceName("nightly")).get();
    }
}
