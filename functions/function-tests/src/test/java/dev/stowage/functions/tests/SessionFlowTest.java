package dev.stowage.functions.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.engine.api.BackupConfiguration;
import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.CrdFixtures;
import dev.stowage.engine.api.Repository;
import dev.stowage.engine.api.RestorePhase;
import dev.stowage.engine.api.RestoreSession;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.kube.SchedulerHandler;
import dev.stowage.functions.pgbackup.PgBackupApplication;
import dev.stowage.functions.postbackup.PostBackupApplication;
import dev.stowage.functions.restore.RestoreApplication;
import dev.stowage.functions.scheduler.SchedulerApplication;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The by-reference path through all four functions, with the Kubernetes API served by fabric8's
 * mock server in CRUD mode (our generated CRDs registered) and the local PostgreSQL. Events are
 * handed from function to function as the Broker would route them.
 */
@EnableKubernetesMockClient(crud = true)
class SessionFlowTest {
    private static final String NS = "demo";
    private static final String SOURCE_DB = "stowage_fn_session";
    private static final String PASSWORD = "session flow password";
    private static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesClient client;
    @TempDir
    static Path dir;
    static FunctionServer scheduler;
    static FunctionServer pgBackup;
    static FunctionServer restore;
    static FunctionServer postBackup;
    static final CloudEventClient http = new CloudEventClient();

    @BeforeAll
    static void start() throws Exception {
        client.getConfiguration().setRequestRetryBackoffLimit(0);
        CrdFixtures.registerAll(client);
        PgDatabases.create(SOURCE_DB);
        PgDatabases.populate(SOURCE_DB, 20_000);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata().build())
                .create();
        ClusterObjects.postgresApp(client, PASSWORD, SOURCE_DB);
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: Repository
                metadata: {name: pg-repo, namespace: demo}
                spec:
                  backend:
                    storageSecretName: repo-secret
                    local: {mountPath: "%s", subPath: pg}
                """.formatted(dir));
        ClusterObjects.nightlyPgBackup(client, "pg-repo");
        Map<String, Object> beans = Map.of("kubernetesClient", client);
        scheduler = FunctionServer.start(SchedulerApplication.class, beans);
        pgBackup = FunctionServer.start(PgBackupApplication.class, beans);
        restore = FunctionServer.start(RestoreApplication.class, beans);
        postBackup = FunctionServer.start(PostBackupApplication.class, beans);
    }

    @AfterAll
    static void stop() throws Exception {
        for (FunctionServer s : new FunctionServer[] {scheduler, pgBackup, restore, postBackup}) {
            if (s != null) {
                s.close();
            }
        }
        PgDatabases.drop(SOURCE_DB);
    }

    @Test
    void schedulerKeepsPingSourceInStepWithConfiguration() throws Exception {
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: hourly, namespace: demo}
                spec:
                  schedule: "0 * * * *"
                  task: {name: pg-backup}
                  repository: {name: pg-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        assertThat(sendApiServer("add", "BackupConfiguration", "hourly")).isEmpty();
        PingSource ping = ClusterObjects.pingSource(client, NS, "hourly");
        assertThat(ping.getSpec().getSchedule()).isEqualTo("0 * * * *");
        assertThat(ping.getSpec().getSink().getRef().getKind()).isEqualTo("Broker");
        assertThat(JSON.readTree(ping.getSpec().getData()).at("/backupConfiguration/name").asText()).isEqualTo("hourly");
        assertThat(ping.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("hourly"));
        assertThat(ClusterObjects.config(client, NS, "hourly").getStatus().getPhase().name()).isEqualTo("Ready");

        ClusterObjects.config(client, NS, "hourly").getSpec().setSchedule("30 * * * *");
        BackupConfiguration changed = ClusterObjects.config(client, NS, "hourly");
        changed.getSpec().setSchedule("30 * * * *");
        client.resource(changed).update();
        sendApiServer("update", "BackupConfiguration", "hourly");
        assertThat(ClusterObjects.pingSource(client, NS, "hourly").getSpec().getSchedule()).isEqualTo("30 * * * *");

        BackupConfiguration paused = ClusterObjects.config(client, NS, "hourly");
        paused.getSpec().setPaused(true);
        client.resource(paused).update();
        sendApiServer("update", "BackupConfiguration", "hourly");
        assertThat(ClusterObjects.pingSource(client, NS, "hourly")).isNull();
        // a tick that was already on its way when the configuration was paused makes no session
        assertThat(tick("hourly", Instant.parse("2026-11-21T10:00:00Z"))).isEmpty();

        BackupConfiguration resumed = ClusterObjects.config(client, NS, "hourly");
        resumed.getSpec().setPaused(false);
        client.resource(resumed).update();
        sendApiServer("update", "BackupConfiguration", "hourly");
        assertThat(ClusterObjects.pingSource(client, NS, "hourly").getSpec().getSchedule()).isEqualTo("30 * * * *");

        client.resource(ClusterObjects.config(client, NS, "hourly")).delete();
        sendApiServer("delete", "BackupConfiguration", "hourly");
        assertThat(ClusterObjects.pingSource(client, NS, "hourly")).isNull();
    }

    @Test
    void tickToSucceededSessionWithStatusRetentionAndHistory() throws Exception {
        sendApiServer("add", "BackupConfiguration", "nightly");
        List<String> snapshotIds = new ArrayList<>();
        Instant t = Instant.parse("2026-11-20T03:00:00Z");
        for (int i = 0; i < 3; i++) {
            Instant at = t.plusSeconds(86_400L * i);
            CloudEvent requested = tick("nightly", at).orElseThrow();
            assertThat(requested.type()).isEqualTo(EventTypes.BACKUP_REQUESTED);
            assertThat(requested.extension(EventTypes.TASK)).isEqualTo("pg-backup");
            String sessionName = "nightly-" + at.getEpochSecond();
            assertThat(requested.extension(EventTypes.SESSION)).isEqualTo(NS + "/" + sessionName);
            // the same tick delivered again converges on the same session
            assertThat(tick("nightly", at)).isEmpty();

            CloudEvent completed = deliver(pgBackup, requested).orElseThrow();
            assertThat(completed.type()).as(new String(completed.data())).isEqualTo(EventTypes.BACKUP_COMPLETED);
            assertThat(ClusterObjects.session(client, NS, sessionName).getStatus().getPhase()).isEqualTo(BackupSessionPhase.Running);
            if (i == 0) {
                // a tick while the session runs yields a Skipped session and no request
                Instant during = at.plusSeconds(60);
                assertThat(tick("nightly", during)).isEmpty();
                assertThat(ClusterObjects.session(client, NS, "nightly-" + during.getEpochSecond()).getStatus().getPhase())
                        .isEqualTo(BackupSessionPhase.Skipped);
            }
            assertThat(deliver(postBackup, completed)).isEmpty();
            BackupSession done = ClusterObjects.session(client, NS, sessionName);
            assertThat(done.getStatus().getPhase()).isEqualTo(BackupSessionPhase.Succeeded);
            var stats = done.getStatus().getTargets().get(0).getStats().get(0);
            assertThat(stats.getHostname()).isEqualTo("host-0");
            assertThat(stats.getSnapshots().get(0).getFileStats().getTotalFiles()).isEqualTo(1L);
            assertThat(stats.getSnapshots().get(0).getPath()).isEqualTo("/dumpfile.sql");
            snapshotIds.add(stats.getSnapshots().get(0).getName());
            // redelivery of the completion changes nothing
            String version = ClusterObjects.session(client, NS, sessionName).getMetadata().getResourceVersion();
            assertThat(deliver(postBackup, completed)).isEmpty();
            assertThat(ClusterObjects.session(client, NS, sessionName).getMetadata().getResourceVersion()).isEqualTo(version);
        }
        List<JsonNode> snapshots = Restic.snapshots(dir.resolve("pg"), PASSWORD);
        assertThat(snapshots).hasSize(2);
        assertThat(snapshots).allSatisfy(s -> assertThat(s.get("tags").toString()).contains("stowage.dev/config=demo/nightly"));
        Restic.run(dir.resolve("pg"), PASSWORD, "check");
        Repository repo = client.resources(Repository.class).inNamespace(NS).withName("pg-repo").get();
        assertThat(repo.getStatus().getSnapshotCount()).isEqualTo(2L);
        assertThat(repo.getStatus().getSnapshotsRemovedOnLastCleanup()).isEqualTo(1L);
        assertThat(repo.getStatus().getLastBackupTime()).isNotNull();
        assertThat(repo.getStatus().getTotalSize()).endsWith("iB");
        List<BackupSession> left = client.resources(BackupSession.class).inNamespace(NS)
                .withLabel(BackupSession.LABEL_BACKUP_CONFIGURATION, "nightly").list().getItems();
        assertThat(left.stream().filter(s -> s.getStatus().getPhase() == BackupSessionPhase.Succeeded)).hasSize(2);
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("BackupSucceeded"));
        assertThat(snapshotIds).doesNotHaveDuplicates();
    }

    @Test
    void duplicateRequestsForOneSessionMakeOneSnapshotAndOneTransition() throws Exception {
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: Repository
                metadata: {name: dup-repo, namespace: demo}
                spec: {backend: {storageSecretName: repo-secret, local: {mountPath: "%s", subPath: dup}}}
                """.formatted(dir));
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: dup, namespace: demo}
                spec:
                  schedule: "0 4 * * *"
                  task: {name: pg-backup, params: [{name: backupCMD, value: pg_dump}]}
                  repository: {name: dup-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        // a user-created session for an instant backup, announced by the ApiServerSource
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupSession
                metadata: {name: dup-instant, namespace: demo, labels: {stowage.dev/backup-configuration: dup}}
                spec: {invoker: {apiGroup: stowage.dev, kind: BackupConfiguration, name: dup}}
                """);
        CloudEvent requested = sendApiServer("add", "BackupSession", "dup-instant").orElseThrow();
        // the ApiServerSource's own extensions (kind, name, namespace, apiversion) are not echoed
        assertThat(requested.extensions()).containsOnlyKeys(EventTypes.TASK, EventTypes.SESSION);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Optional<CloudEvent>> replies = new ArrayList<>();
        try {
            List<Future<Optional<CloudEvent>>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> deliver(pgBackup, requested)));
            }
            for (Future<Optional<CloudEvent>> f : futures) {
                replies.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        replies.add(deliver(pgBackup, requested));
        replies.add(deliver(pgBackup, requested));
        List<CloudEvent> completions = replies.stream().flatMap(Optional::stream).toList();
        assertThat(completions).singleElement()
                .satisfies(c -> assertThat(c.type()).isEqualTo(EventTypes.BACKUP_COMPLETED));
        assertThat(Restic.snapshots(dir.resolve("dup"), PASSWORD)).hasSize(1);

        List<String> phases = new ArrayList<>();
        try (var watch = client.resources(BackupSession.class).inNamespace(NS).withName("dup-instant")
                .watch(new io.fabric8.kubernetes.client.Watcher<BackupSession>() {
                    @Override
                    public void eventReceived(Action action, BackupSession s) {
                        if (s.getStatus() != null && s.getStatus().getPhase() != null) {
                            synchronized (phases) {
                                phases.add(s.getStatus().getPhase().name());
                            }
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException e) {
                    }
                })) {
            for (int i = 0; i < 3; i++) {
                assertThat(deliver(postBackup, completions.get(0))).isEmpty();
            }
            Thread.sleep(500);
        }
        assertThat(ClusterObjects.session(client, NS, "dup-instant").getStatus().getPhase()).isEqualTo(BackupSessionPhase.Succeeded);
        synchronized (phases) {
            assertThat(phases.stream().filter("Succeeded"::equals)).hasSize(1);
        }
        // the session is done: a late redelivery of the request is absorbed
        CloudEventClient.Response late = http.sendBinary(pgBackup.uri(), requested);
        assertThat(late.reply()).isEmpty();
        assertThat(late.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ce-"));
    }

    @Test
    void repositoryOutsideUsagePolicyFailsTheSessionWithTheReason() throws Exception {
        client.secrets().inNamespace("other").resource(new SecretBuilder().withNewMetadata().withName("repo-secret")
                .endMetadata().withStringData(Map.of("RESTIC_PASSWORD", PASSWORD)).build()).create();
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: Repository
                metadata: {name: private-repo, namespace: other}
                spec:
                  backend: {storageSecretName: repo-secret, local: {mountPath: "%s", subPath: private}}
                  usagePolicy: {allowedNamespaces: {from: Same}}
                """.formatted(dir));
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: sneaky, namespace: demo}
                spec:
                  schedule: "0 5 * * *"
                  task: {name: pg-backup}
                  repository: {name: private-repo, namespace: other}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        CloudEvent requested = tick("sneaky", Instant.parse("2026-11-21T05:00:00Z")).orElseThrow();
        CloudEvent failed = deliver(pgBackup, requested).orElseThrow();
        assertThat(failed.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(deliver(postBackup, failed)).isEmpty();
        BackupSession session = ClusterObjects.session(client, NS, "sneaky-" + Instant.parse("2026-11-21T05:00:00Z").getEpochSecond());
        assertThat(session.getStatus().getPhase()).isEqualTo(BackupSessionPhase.Failed);
        assertThat(session.getStatus().getTargets().get(0).getStats().get(0).getError())
                .contains("other/private-repo").contains("usagePolicy");
        assertThat(dir.resolve("private")).doesNotExist();
    }

    @Test
    void missingStorageSecretFailsTheSessionNamingIt() throws Exception {
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: Repository
                metadata: {name: no-secret-repo, namespace: demo}
                spec: {backend: {storageSecretName: does-not-exist, local: {mountPath: "%s", subPath: nosecret}}}
                """.formatted(dir));
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: nosecret, namespace: demo}
                spec:
                  schedule: "0 6 * * *"
                  task: {name: pg-backup}
                  repository: {name: no-secret-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        Instant at = Instant.parse("2026-11-21T06:00:00Z");
        CloudEvent failed = deliver(pgBackup, tick("nosecret", at).orElseThrow()).orElseThrow();
        assertThat(failed.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        deliver(postBackup, failed);
        BackupSession session = ClusterObjects.session(client, NS, "nosecret-" + at.getEpochSecond());
        assertThat(session.getStatus().getPhase()).isEqualTo(BackupSessionPhase.Failed);
        assertThat(session.getStatus().getTargets().get(0).getStats().get(0).getError()).contains("does-not-exist");
        assertThat(Restic.snapshots(dir.resolve("nosecret"), PASSWORD)).isEmpty();
    }

    @Test
    void restoreSessionRestoresIntoANewDatabase() throws Exception {
        // make sure there is a backup to restore
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: Repository
                metadata: {name: restore-repo, namespace: demo}
                spec: {backend: {storageSecretName: repo-secret, local: {mountPath: "%s", subPath: restore}}}
                """.formatted(dir));
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: forrestore, namespace: demo}
                spec:
                  schedule: "0 7 * * *"
                  task: {name: pg-backup, params: [{name: backupCMD, value: pg_dump}, {name: args, value: "--format=custom"}]}
                  repository: {name: restore-repo}
                  target: {ref: {kind: AppBinding, name: app-db}}
                """);
        CloudEvent completed = deliver(pgBackup, tick("forrestore", Instant.parse("2026-11-21T07:00:00Z")).orElseThrow())
                .orElseThrow();
        assertThat(completed.type()).isEqualTo(EventTypes.BACKUP_COMPLETED);
        deliver(postBackup, completed);

        String target = "stowage_fn_session_restored";
        PgDatabases.drop(target);
        ClusterObjects.pgRestoreSession(client, "recover", "restore-repo", target);
        try {
            CloudEvent requested = sendApiServer("add", "RestoreSession", "recover").orElseThrow();
            assertThat(requested.type()).isEqualTo(EventTypes.RESTORE_REQUESTED);
            assertThat(requested.extension(EventTypes.TASK)).isEqualTo("pg-restore");
            CloudEvent restored = deliver(restore, requested).orElseThrow();
            assertThat(restored.type()).as(new String(restored.data())).isEqualTo(EventTypes.RESTORE_COMPLETED);
            assertThat(deliver(postBackup, restored)).isEmpty();
            RestoreSession session = client.resources(RestoreSession.class).inNamespace(NS).withName("recover").get();
            assertThat(session.getStatus().getPhase()).isEqualTo(RestorePhase.Succeeded);
            assertThat(session.getStatus().getStats().get(0).getHostname()).isEqualTo("host-0");
            assertThat(PgDatabases.checksums(target)).isEqualTo(PgDatabases.checksums(SOURCE_DB));
            // further add/update events of a finished session request nothing
            assertThat(sendApiServer("update", "RestoreSession", "recover")).isEmpty();
        } finally {
            PgDatabases.drop(target);
        }
    }

    // --- helpers: deliveries as the Broker makes them

    private static Optional<CloudEvent> deliver(FunctionServer function, CloudEvent event) throws Exception {
        CloudEventClient.Response response = http.sendBinary(function.uri(), event);
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return response.reply();
    }

    private static Optional<CloudEvent> tick(String config, Instant at) throws Exception {
        CloudEvent ping = new CloudEvent(java.util.UUID.randomUUID().toString(),
                "/apis/v1/namespaces/demo/pingsources/" + SchedulerHandler.pingSourceName(config),
                EventTypes.PING, null, at.toString(), "application/json", Map.of(),
                JSON.writeValueAsBytes(Map.of("backupConfiguration", Map.of("namespace", NS, "name", config))));
        return deliver(scheduler, ping);
    }

    private static Optional<CloudEvent> sendApiServer(String verb, String kind, String name) throws Exception {
        CloudEvent event = Events.create("dev.knative.apiserver.ref." + verb, "https://10.96.0.1:443",
                "/apis/stowage.dev/v1alpha1/namespaces/demo/" + kind.toLowerCase() + "s/" + name,
                Map.of("kind", kind, "name", name, "namespace", NS, "apiversion", "stowage.dev/v1alpha1"),
                Map.of("apiVersion", "stowage.dev/v1alpha1", "kind", kind, "name", name, "namespace", NS));
        return deliver(scheduler, event);
    }
}
