package dev.stowage.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.CrdFixtures;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventData;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.SessionRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A session whose request nobody took (lost on the way, or a JobSink Job that failed before
 * claiming it) stays Pending; once its lease is over the next tick fails it instead of skipping
 * every later backup of the configuration.
 */
@EnableKubernetesMockClient(crud = true)
class SchedulerAbandonedSessionTest {
    KubernetesClient client;

    @Test
    void pendingSessionBlocksUntilItsLeaseEndsThenFails() {
        client.getConfiguration().setRequestRetryBackoffLimit(0);
        CrdFixtures.registerAll(client);
        create("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: nightly, namespace: demo}
                spec:
                  schedule: "0 3 * * *"
                  timeOut: 1h
                  task: {name: pg-backup-job}
                  repository: {name: pg-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        BackupSession stuck = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupSession
                metadata: {name: nightly-stuck, namespace: demo, labels: {stowage.dev/backup-configuration: nightly}}
                spec: {invoker: {apiGroup: stowage.dev, kind: BackupConfiguration, name: nightly}}
                """, BackupSession.class)).create();
        Instant created = Instant.parse(stuck.getMetadata().getCreationTimestamp());

        Instant soon = created.plus(Duration.ofMinutes(10));
        assertTrue(tick(soon).isEmpty(), "within the lease the Pending session still counts as running");
        assertEquals(BackupSessionPhase.Skipped, session("nightly-" + soon.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                .getEpochSecond()).getStatus().getPhase());
        assertEquals(null, session("nightly-stuck").getStatus());

        Instant later = created.plus(Duration.ofHours(2));
        CloudEvent requested = tick(later).orElseThrow();
        assertEquals(EventTypes.BACKUP_REQUESTED, requested.type());
        BackupSession failed = session("nightly-stuck");
        assertEquals(BackupSessionPhase.Failed, failed.getStatus().getPhase());
        assertEquals("NotStarted", failed.getStatus().getConditions().get(0).getReason());
    }

    private Optional<CloudEvent> tick(Instant at) {
        KubeSessions sessions = new KubeSessions(client, new RepositoryResolver(client, new KubeSecrets(client)),
                new AppBindings(client), Clock.fixed(at, ZoneOffset.UTC));
        SchedulerHandler scheduler = new SchedulerHandler(client, sessions, "stowage", "stowage", "/stowage/scheduler",
                Clock.fixed(at, ZoneOffset.UTC));
        return scheduler.handle(new CloudEvent(UUID.randomUUID().toString(), "/apis/v1/namespaces/demo/pingsources/x",
                EventTypes.PING, null, at.toString(), "application/json", Map.of(),
                EventData.write(new SchedulerHandler.Tick(new SessionRef("demo", "nightly")))));
    }

    private BackupSession session(String name) {
        return client.resources(BackupSession.class).inNamespace("demo").withName(name).get();
    }

    private void create(String yaml) {
        HasMetadata resource = client.getKubernetesSerialization().unmarshal(yaml);
        client.resource(resource).create();
    }
}
