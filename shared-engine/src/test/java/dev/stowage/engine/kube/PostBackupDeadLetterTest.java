package dev.stowage.engine.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.BackupSessionStatus;
import dev.stowage.engine.api.CrdFixtures;
import dev.stowage.engine.api.RestorePhase;
import dev.stowage.engine.api.RestoreSession;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventData;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.event.InvalidEventException;
import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.RepositoryCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * post-backup as the dead-letter sink of the task functions: a request Knative could not deliver
 * (5xx or no answer after the retries, or a 4xx) fails the session it names, with the reason.
 */
@EnableKubernetesMockClient(crud = true)
class PostBackupDeadLetterTest {
    private static final String NS = "demo";
    private static final String DEST = "http://pg-backup.stowage.svc.cluster.local";

    KubernetesClient client;
    PostBackupHandler handler;

    @BeforeEach
    void setUp() {
        client.getConfiguration().setRequestRetryBackoffLimit(0);
        CrdFixtures.registerAll(client);
        if (client.namespaces().withName(NS).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                    .create();
        }
        Clock clock = Clock.systemUTC();
        KubeSecrets secrets = new KubeSecrets(client);
        KubeSessions sessions = new KubeSessions(client, new RepositoryResolver(client, secrets), new AppBindings(client),
                clock);
        handler = new PostBackupHandler(client, sessions, new RepositoryResolver(client, secrets),
                new Repositories(RepositoryCache.defaults(), Identity.current()), clock);
        apply("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: nightly, namespace: demo}
                spec:
                  schedule: "0 3 * * *"
                  task: {name: pg-backup}
                  repository: {name: pg-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
    }

    @Test
    void deadLetteredBackupRequestFailsThePendingSessionWithTheFunctionsError() throws Exception {
        String name = backupSession(null);
        CloudEvent dead = deadLetter(EventTypes.BACKUP_REQUESTED, name, "500",
                "{\"error\":\"Connection refused: kubernetes.default.svc/10.96.0.1:443\"}");

        assertTrue(handler.handle(dead).isEmpty(), "post-backup replies nothing");

        BackupSession session = backup(name);
        assertEquals(BackupSessionPhase.Failed, session.getStatus().getPhase());
        var stats = session.getStatus().getTargets().get(0).getStats().get(0);
        assertEquals("delivery of dev.stowage.backup.requested to " + DEST + " failed with HTTP 500: "
                + "Connection refused: kubernetes.default.svc/10.96.0.1:443", stats.getError());
        assertEquals(0, stats.getSnapshots().size());
        assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("BackupFailed") && e.getInvolvedObject().getName().equals(name)
                        && e.getMessage().contains("HTTP 500")));
    }

    @Test
    void deadLetteredRequestFailsASessionLeftRunningByACrashedDelivery() throws Exception {
        String name = backupSession(BackupSessionPhase.Running);
        handler.handle(deadLetter(EventTypes.BACKUP_REQUESTED, name, null, null));
        BackupSession session = backup(name);
        assertEquals(BackupSessionPhase.Failed, session.getStatus().getPhase());
        assertEquals("delivery of dev.stowage.backup.requested to " + DEST + " failed without a response",
                session.getStatus().getTargets().get(0).getStats().get(0).getError());
    }

    @Test
    void finishedSessionIsLeftAlone() throws Exception {
        String name = backupSession(BackupSessionPhase.Succeeded);
        String version = backup(name).getMetadata().getResourceVersion();
        handler.handle(deadLetter(EventTypes.BACKUP_REQUESTED, name, "503", null));
        assertEquals(BackupSessionPhase.Succeeded, backup(name).getStatus().getPhase());
        assertEquals(version, backup(name).getMetadata().getResourceVersion());
    }

    @Test
    void deadLetteredRestoreRequestFailsTheRestoreSession() throws Exception {
        apply("""
                apiVersion: stowage.dev/v1alpha1
                kind: RestoreSession
                metadata: {name: recover, namespace: demo}
                spec:
                  repository: {name: pg-repo}
                  task: {name: pg-restore}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        handler.handle(deadLetter(EventTypes.RESTORE_REQUESTED, "recover", "502", "bad gateway"));
        RestoreSession session = client.resources(RestoreSession.class).inNamespace(NS).withName("recover").get();
        assertEquals(RestorePhase.Failed, session.getStatus().getPhase());
        assertEquals("delivery of dev.stowage.restore.requested to " + DEST + " failed with HTTP 502: bad gateway",
                session.getStatus().getStats().get(0).getError());
        assertEquals("False", session.getStatus().getConditions().get(0).getStatus());
    }

    @Test
    void sessionComesFromTheRoutingExtensionWhenTheDataCannotBeRead() throws Exception {
        String name = backupSession(null);
        Map<String, String> ext = new HashMap<>(deadLetterExtensions("400", null));
        ext.put(EventTypes.SESSION, NS + "/" + name);
        CloudEvent dead = new CloudEvent(UUID.randomUUID().toString(), "/stowage/scheduler",
                EventTypes.BACKUP_REQUESTED, null, null, "application/json", ext, "{nope".getBytes(StandardCharsets.UTF_8));
        handler.handle(dead);
        assertEquals(BackupSessionPhase.Failed, backup(name).getStatus().getPhase());
    }

    @Test
    void inlineDeadLetterHasNoSessionToRecordAndChangesNothing() throws Exception {
        CloudEvent dead = new CloudEvent(UUID.randomUUID().toString(), "/local/curl", EventTypes.BACKUP_REQUESTED,
                null, null, "application/json", deadLetterExtensions("500", null),
                "{\"repository\":{\"url\":\"/tmp/r\",\"password\":{\"env\":\"P\"}},\"postgres\":{\"host\":\"h\",\"user\":\"u\"}}"
                        .getBytes(StandardCharsets.UTF_8));
        int events = client.v1().events().inAnyNamespace().list().getItems().size();
        assertTrue(handler.handle(dead).isEmpty());
        assertEquals(events, client.v1().events().inAnyNamespace().list().getItems().size());
    }

    @Test
    void requestThatWasNotDeadLetteredIsRefused() {
        String name = backupSession(null);
        CloudEvent request = Events.create(EventTypes.BACKUP_REQUESTED, "/stowage/scheduler", null,
                Map.of(EventTypes.TASK, "pg-backup"), Map.of("session", new SessionRef(NS, name)));
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> handler.handle(request));
        assertTrue(e.getMessage().contains("only as a dead letter"), e.getMessage());
        assertNull(backup(name).getStatus());
    }

    @Test
    void errorDataIsDecodedCutShortOrNot() {
        String json = Base64.getEncoder().encodeToString("{\"error\":\"boom\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("boom", DeadLetters.message(json));
        String longText = "x".repeat(2000);
        String cut = Base64.getEncoder().encodeToString(longText.getBytes(StandardCharsets.UTF_8)).substring(0, 1023);
        String message = DeadLetters.message(cut);
        assertEquals(501, message.length(), "500 characters and an ellipsis");
        assertEquals("not base64 at all!", DeadLetters.message("not base64 at all!"));
        assertEquals("", DeadLetters.message(""));
    }

    // --- helpers

    private String backupSession(BackupSessionPhase phase) {
        String name = "nightly-" + UUID.randomUUID().toString().substring(0, 8);
        BackupSession session = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupSession
                metadata: {name: %s, namespace: demo, labels: {stowage.dev/backup-configuration: nightly}}
                spec: {invoker: {apiGroup: stowage.dev, kind: BackupConfiguration, name: nightly}}
                """.formatted(name), BackupSession.class)).create();
        if (phase != null) {
            BackupSessionStatus status = new BackupSessionStatus();
            status.setPhase(phase);
            session.setStatus(status);
            client.resource(session).updateStatus();
        }
        return name;
    }

    private BackupSession backup(String name) {
        return client.resources(BackupSession.class).inNamespace(NS).withName(name).get();
    }

    /** The request as the scheduler sent it, with what Knative adds before giving it to the dead-letter sink. */
    private static CloudEvent deadLetter(String type, String session, String code, String body) {
        Map<String, String> ext = new HashMap<>(deadLetterExtensions(code, body));
        ext.put(EventTypes.TASK, type.equals(EventTypes.BACKUP_REQUESTED) ? "pg-backup" : "pg-restore");
        ext.put(EventTypes.SESSION, NS + "/" + session);
        return new CloudEvent(UUID.randomUUID().toString(), "/stowage/scheduler", type,
                (type.equals(EventTypes.BACKUP_REQUESTED) ? "backupsessions/" : "restoresessions/") + session, null,
                "application/json", ext, EventData.write(Map.of("session", new SessionRef(NS, session))));
    }

    private static Map<String, String> deadLetterExtensions(String code, String body) {
        Map<String, String> ext = new HashMap<>();
        ext.put(EventTypes.DEAD_LETTER_DESTINATION, DEST);
        if (code != null) {
            ext.put(EventTypes.DEAD_LETTER_CODE, code);
        }
        if (body != null) {
            ext.put(EventTypes.DEAD_LETTER_DATA,
                    Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        }
        return ext;
    }

    private void apply(String yaml) {
        HasMetadata resource = client.getKubernetesSerialization().unmarshal(yaml);
        client.resource(resource).create();
    }
}
