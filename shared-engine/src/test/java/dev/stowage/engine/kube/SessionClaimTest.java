package dev.stowage.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.CrdFixtures;
import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.handler.Sessions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claims of one session by several deliveries of its request: exactly one wins. */
@EnableKubernetesMockClient(crud = true)
class SessionClaimTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final SessionRef REF = new SessionRef("demo", "instant");

    KubernetesClient client;

    @BeforeEach
    void setUp() {
        client.getConfiguration().setRequestRetryBackoffLimit(0);
        CrdFixtures.registerAll(client);
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: nightly, namespace: demo}
                spec:
                  schedule: "0 3 * * *"
                  timeOut: 30m
                  task: {name: pg-backup}
                  repository: {name: pg-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """, dev.stowage.engine.api.BackupConfiguration.class)).create();
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupSession
                metadata: {name: instant, namespace: demo}
                spec: {invoker: {apiGroup: stowage.dev, kind: BackupConfiguration, name: nightly}}
                """, BackupSession.class)).create();
    }

    @Test
    void secondDeliveryAfterAClaimGetsNothing() {
        assertEquals(Sessions.Claim.CLAIMED, sessions(NOW).claimBackup(REF, "request-1"));
        assertEquals(BackupSessionPhase.Running, session().getStatus().getPhase());
        assertEquals(Sessions.Claim.HELD_ELSEWHERE, sessions(NOW.plusSeconds(5)).claimBackup(REF, "request-1"));
    }

    @Test
    void aClaimWhosePhaseIsNotYetRunningStillHoldsTheSession() {
        // what a duplicate sees between the claimant's two writes: annotations, but no phase yet
        BackupSession s = session();
        s.getMetadata().setAnnotations(Map.of(KubeSessions.CLAIMED_BY, "request-1",
                KubeSessions.CLAIMED_AT, NOW.toString()));
        client.resource(s).update();
        assertEquals(Sessions.Claim.HELD_ELSEWHERE, sessions(NOW.plusSeconds(1)).claimBackup(REF, "request-1"));
        assertEquals(null, session().getStatus(), "the duplicate must not touch the session");
    }

    @Test
    void aClaimOlderThanTheTimeOutIsTakenOver() {
        assertEquals(Sessions.Claim.CLAIMED, sessions(NOW).claimBackup(REF, "request-1"));
        assertEquals(Sessions.Claim.HELD_ELSEWHERE, sessions(NOW.plus(Duration.ofMinutes(29))).claimBackup(REF, "request-1"));
        assertEquals(Sessions.Claim.CLAIMED, sessions(NOW.plus(Duration.ofMinutes(31))).claimBackup(REF, "request-1"));
    }

    @Test
    void finishedSessionsAreNotClaimedAgain() {
        assertEquals(Sessions.Claim.CLAIMED, sessions(NOW).claimBackup(REF, "request-1"));
        BackupSession s = session();
        s.getStatus().setPhase(BackupSessionPhase.Succeeded);
        client.resource(s).updateStatus();
        assertEquals(Sessions.Claim.FINISHED, sessions(NOW.plus(Duration.ofHours(2))).claimBackup(REF, "request-2"));
    }

    private BackupSession session() {
        return client.resources(BackupSession.class).inNamespace("demo").withName("instant").get();
    }

    private KubeSessions sessions(Instant at) {
        return new KubeSessions(client, new RepositoryResolver(client, new KubeSecrets(client)), new AppBindings(client),
                Clock.fixed(at, ZoneOffset.UTC));
    }
}
