package dev.stowage.engine.api;

import static dev.stowage.engine.api.StashManifests.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stash manifests, converted only by their apiVersion, through a mock API server that knows the
 * generated CRDs: nothing renamed or lost, and status writes go through the status subresource.
 */
@EnableKubernetesMockClient(crud = true)
class CustomResourcesCrudTest {
    KubernetesClient client;

    @BeforeEach
    void registerCrds() {
        CrdFixtures.registerAll(client);
        CrdFixtures.registerAll(client); // a second call changes nothing
    }

    /** The stored object as the API server returns it, without Stowage's classes. */
    JsonNode stored(HasMetadata o) {
        GenericKubernetesResource raw = client.genericKubernetesResources(o.getApiVersion(), o.getKind())
                .inNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName()).get();
        return StashManifests.SERIALIZATION.convertValue(raw, JsonNode.class);
    }

    @Test
    void repository() {
        Repository repo = StashManifests.load("stash-repository.yaml", Repository.class);
        assertEquals("stowage.dev/v1alpha1", repo.getApiVersion());
        S3Spec s3 = repo.getSpec().getBackend().getS3();
        assertEquals("stash-backup", s3.getBucket());
        assertEquals("https://minio.storage.svc:9000", s3.getEndpoint());
        assertEquals(Boolean.TRUE, s3.getInsecureTLS());
        assertEquals("minio-secret", repo.getSpec().getBackend().getStorageSecretName());
        AllowedNamespaces allowed = repo.getSpec().getUsagePolicy().getAllowedNamespaces();
        assertEquals(FromNamespaces.Selector, allowed.getFrom());
        assertEquals(Map.of("stash/backup", "allowed"), allowed.getSelector().getMatchLabels());

        Repository created = client.resource(repo).create();
        assertEquals(repo.getSpec(), created.getSpec());
        assertNull(created.getStatus());
        assertContains(StashManifests.tree("stash-repository.yaml"), stored(created), "");

        RepositoryStatus status = new RepositoryStatus();
        status.setFirstBackupTime("2024-03-01T10:05:00Z");
        status.setLastBackupTime("2024-03-02T10:05:00Z");
        status.setIntegrity(true);
        status.setTotalSize("1.5 GiB");
        status.setSnapshotCount(12L);
        status.setSnapshotsRemovedOnLastCleanup(1L);
        created.setStatus(status);
        client.resource(created).updateStatus();

        Repository got = client.resources(Repository.class).inNamespace("demo").withName("minio-repo").get();
        assertEquals(repo.getSpec(), got.getSpec());
        assertEquals(status, got.getStatus());
        JsonNode storedStatus = stored(got).get("status");
        assertEquals("1.5 GiB", storedStatus.get("totalSize").asText());
        assertEquals(12, storedStatus.get("snapshotCount").asInt());
        assertFalse(storedStatus.has("observedGeneration"), "null fields are not written");
    }

    @Test
    void backupConfiguration() {
        BackupConfiguration bc = StashManifests.load("stash-backupconfiguration.yaml", BackupConfiguration.class);
        BackupConfigurationSpec spec = bc.getSpec();
        assertEquals("*/5 * * * *", spec.getSchedule());
        assertEquals("postgres-backup-14.0", spec.getTask().getName());
        assertEquals("--clean", spec.getTask().getParams().get(0).getValue());
        assertEquals("minio-repo", spec.getRepository().getName());
        assertEquals("AppBinding", spec.getTarget().getRef().getKind());
        assertEquals("appcatalog.appscode.com/v1alpha1", spec.getTarget().getRef().getApiVersion());
        RetentionPolicy retention = spec.getRetentionPolicy();
        assertEquals("keep-last-5", retention.getName());
        assertEquals(5, retention.getKeepLast());
        assertEquals(7, retention.getKeepDaily());
        assertNull(retention.getKeepHourly());
        assertEquals(List.of("monthly"), retention.getKeepTags());
        assertTrue(retention.isPrune());
        assertFalse(retention.isDryRun());
        assertEquals(3, spec.getBackupHistoryLimit());
        assertEquals("30m", spec.getTimeOut());

        BackupConfiguration created = client.resource(bc).create();
        assertContains(StashManifests.tree("stash-backupconfiguration.yaml"), stored(created), "");

        BackupConfigurationStatus status = new BackupConfigurationStatus();
        status.setObservedGeneration(created.getMetadata().getGeneration());
        status.setPhase(BackupConfigurationPhase.Ready);
        status.setConditions(List.of(new ConditionBuilder().withType("RepositoryFound").withStatus("True")
                .withReason("RepositoryAvailable").withLastTransitionTime("2024-03-01T10:00:00Z").build()));
        created.setStatus(status);
        client.resource(created).updateStatus();

        // a spec change through the main resource keeps the status, and bumps the generation
        BackupConfiguration paused = client.resources(BackupConfiguration.class).inNamespace("demo")
                .withName("sample-postgres-backup").edit(b -> {
                    b.getSpec().setPaused(true);
                    b.setStatus(null);
                    return b;
                });
        assertTrue(paused.getSpec().isPaused());
        assertEquals(status, paused.getStatus());
        assertNotEquals(status.getObservedGeneration(), paused.getMetadata().getGeneration());
        JsonNode stored = stored(paused);
        assertEquals("Ready", stored.at("/status/phase").asText());
        assertEquals("RepositoryFound", stored.at("/status/conditions/0/type").asText());
        assertTrue(stored.at("/spec/paused").asBoolean());
    }

    @Test
    void backupConfigurationDefaults() {
        BackupConfiguration bc = StashManifests.SERIALIZATION.unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: minimal, namespace: demo}
                spec:
                  schedule: "@daily"
                  repository: {name: r}
                """, BackupConfiguration.class);
        assertEquals(1, bc.getSpec().getBackupHistoryLimit(), "the CRD's default, also without an API server");
        assertFalse(bc.getSpec().isPaused());
        assertNull(bc.getSpec().getRetentionPolicy());
        String json = StashManifests.SERIALIZATION.asJson(bc);
        assertFalse(json.contains("null"), json);
    }

    @Test
    void backupSession() {
        BackupSession session = StashManifests.load("stash-backupsession.yaml", BackupSession.class);
        BackupSessionStatus status = session.getStatus();
        assertEquals(BackupSessionPhase.Succeeded, status.getPhase());
        BackupTargetStatus target = status.getTargets().get(0);
        assertEquals(TargetPhase.Succeeded, target.getPhase());
        assertEquals(3, target.getTotalHosts());
        assertEquals("StatefulSet", target.getRef().getKind());
        HostBackupStats host = target.getStats().get(0);
        assertEquals(HostPhase.Succeeded, host.getPhase());
        SnapshotStats snapshot = host.getSnapshots().get(0);
        assertEquals("2f6b6d2b", snapshot.getName());
        assertEquals("1.049 KiB", snapshot.getUploaded());
        assertEquals(3L, snapshot.getFileStats().getTotalFiles());
        assertEquals(2L, snapshot.getFileStats().getUnmodifiedFiles());
        assertEquals(HostPhase.Failed, target.getStats().get(1).getPhase());
        assertEquals("RetentionPolicyApplied", status.getConditions().get(1).getType());

        // as the scheduler would create it: labelled, without status (a create drops the status anyway)
        session.getMetadata().setLabels(Map.of(BackupSession.LABEL_BACKUP_CONFIGURATION, "sample-backup-config"));
        session.setStatus(null);
        BackupSession created = client.resource(session).create();
        assertNull(created.getStatus());

        created.setStatus(StashManifests.load("stash-backupsession.yaml", BackupSession.class).getStatus());
        client.resource(created).updateStatus();
        BackupSession got = client.resources(BackupSession.class).inNamespace("demo")
                .withLabel(BackupSession.LABEL_BACKUP_CONFIGURATION, "sample-backup-config").list().getItems().get(0);
        assertEquals(session.getSpec(), got.getSpec());
        assertEquals(status, got.getStatus());
        JsonNode expected = StashManifests.tree("stash-backupsession.yaml");
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("metadata")).remove("labels");
        assertContains(expected, stored(got), "");

        // editStatus changes the status only
        BackupSession failed = client.resource(got).editStatus(s -> {
            s.getStatus().setPhase(BackupSessionPhase.Failed);
            s.getSpec().getInvoker().setName("changed");
            return s;
        });
        assertEquals(BackupSessionPhase.Failed, failed.getStatus().getPhase());
        BackupSession after = client.resources(BackupSession.class).inNamespace("demo")
                .withName("sample-backup-config-1611901800").get();
        assertEquals(BackupSessionPhase.Failed, after.getStatus().getPhase());
        assertEquals("sample-backup-config", after.getSpec().getInvoker().getName());
    }

    @Test
    void restoreSession() {
        RestoreSession restore = StashManifests.load("stash-restoresession.yaml", RestoreSession.class);
        RestoreSessionSpec spec = restore.getSpec();
        assertEquals("minio-repo", spec.getRepository().getName());
        assertNull(spec.getRepository().getNamespace());
        assertEquals("pvc-restore", spec.getTask().getName());
        assertEquals("1h", spec.getTimeOut());
        RestoreRule first = spec.getTarget().getRules().get(0);
        assertEquals("pod-0", first.getSourceHost());
        assertEquals(List.of("/source/data"), first.getPaths());
        assertEquals(List.of("*.conf"), first.getInclude());
        assertEquals(List.of("*.tmp"), first.getExclude());
        assertEquals(List.of("latest"), spec.getTarget().getRules().get(1).getSnapshots());
        RestoreSessionStatus status = restore.getStatus();
        assertEquals(RestorePhase.Succeeded, status.getPhase());
        assertEquals(2, status.getTotalHosts());
        assertEquals("6.3s", status.getStats().get(1).getDuration());

        RestoreSession created = client.resource(restore).create();
        assertNull(created.getStatus());
        created.setStatus(status);
        client.resource(created).updateStatus();
        RestoreSession got = client.resources(RestoreSession.class).inNamespace("demo").withName("sample-restore")
                .get();
        assertEquals(spec, got.getSpec());
        assertEquals(status, got.getStatus());
        assertContains(StashManifests.tree("stash-restoresession.yaml"), stored(got), "");
    }

    @Test
    void unknownStashFieldsAreIgnoredOnRead() {
        BackupConfiguration bc = StashManifests.SERIALIZATION.unmarshal("""
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: with-stash-extras, namespace: demo}
                spec:
                  driver: Restic
                  schedule: "@daily"
                  repository: {name: r}
                  runtimeSettings: {container: {nice: {adjustment: 5}}}
                  retentionPolicy: {name: keep, keepLast: 1, prune: false}
                """, BackupConfiguration.class);
        assertEquals("@daily", bc.getSpec().getSchedule());
        assertEquals(1, bc.getSpec().getRetentionPolicy().getKeepLast());
    }
}
