package dev.stowage.functions.tests;

import dev.stowage.engine.api.BackupConfiguration;
import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.kube.SchedulerHandler;
import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Reading and creating the test cluster's objects, for the tests that drive functions through it. */
final class ClusterObjects {
    private ClusterObjects() {
    }

    /** Creates the object a YAML manifest describes. */
    static void apply(KubernetesClient client, String yaml) {
        HasMetadata resource = client.getKubernetesSerialization().unmarshal(yaml);
        client.resource(resource).create();
    }

    /** The PingSource the scheduler keeps for configuration {@code config}, or null. */
    static PingSource pingSource(KubernetesClient client, String namespace, String config) {
        return client.adapt(KnativeClient.class).pingSources().inNamespace(namespace)
                .withName(SchedulerHandler.pingSourceName(config)).get();
    }

    static BackupConfiguration config(KubernetesClient client, String namespace, String name) {
        return client.resources(BackupConfiguration.class).inNamespace(namespace).withName(name).get();
    }

    static BackupSession session(KubernetesClient client, String namespace, String name) {
        return client.resources(BackupSession.class).inNamespace(namespace).withName(name).get();
    }
}
