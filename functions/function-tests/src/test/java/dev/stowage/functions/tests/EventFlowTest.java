package dev.stowage.functions.tests;

import static dev.stowage.functions.tests.Manifests.EVENTING;
import static dev.stowage.functions.tests.Manifests.FLOWS;
import static dev.stowage.functions.tests.Manifests.SERVING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.engine.api.BackupConfiguration;
import dev.stowage.engine.api.BackupSession;
import dev.stowage.engine.api.BackupSessionPhase;
import dev.stowage.engine.api.CrdFixtures;
import dev.stowage.engine.api.Repository;
import dev.stowage.engine.api.RestorePhase;
import dev.stowage.engine.api.RestoreSession;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.functions.pgbackup.PgBackupApplication;
import dev.stowage.functions.postbackup.PostBackupApplication;
import dev.stowage.functions.restore.RestoreApplication;
import dev.stowage.functions.scheduler.SchedulerApplication;
import dev.stowage.functions.tests.Manifests.Doc;
import io.fabric8.knative.sources.v1.PingSource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wiring in knative/ and triggers/ and the functions, together: every Knative Service of the
 * manifests runs as its function (over HTTP, its container's environment, its own ServiceAccount's
 * API client against fabric8's mock API server), and {@link InTestKnative} delivers events the
 * way the Broker, the Triggers, the Sequences, the JobSinks and the sources of the manifests do.
 * Scheduled backups, a restore, the JobSink route, retries and dead letters run end to end with
 * the local PostgreSQL and restic as the judge; changing a Trigger filter or a Sequence so that it
 * no longer matches what the functions emit makes the flow fail; every API call a function makes
 * is one its ClusterRole allows, and every rule of the roles is needed.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventFlowTest {
    private static final String NS = "demo";
    private static final String SOURCE_DB = "stowage_fn_flow";
    private static final String PASSWORD = "event flow password";
    /** The function each image runs. */
    private static final Map<String, Class<?>> APPLICATIONS = Map.of("pg-backup", PgBackupApplication.class,
            "restore", RestoreApplication.class, "post-backup", PostBackupApplication.class,
            "scheduler", SchedulerApplication.class);

    static KubernetesClient client;
    static KubernetesMockServer server;
    @TempDir
    static Path dir;
    static Path knativeCrds;
    static Manifests manifests;
    static ApiRecorder api;
    static final Map<String, FunctionServer> functions = new LinkedHashMap<>();
    static final Map<String, URI> uris = new HashMap<>();
    static InTestKnative knative;

    @BeforeAll
    static void start() throws Exception {
        client.getConfiguration().setRequestRetryBackoffLimit(0);
        CrdFixtures.registerAll(client);
        String shared = System.getProperty("stowage.shared");
        knativeCrds = (shared != null ? Path.of(shared) : Manifests.root().resolve("../shared")).resolve("knative-crds");
        manifests = Manifests.kustomized("knative", "triggers");
        PgDatabases.create(SOURCE_DB);
        PgDatabases.populate(SOURCE_DB, 5_000);
        for (String ns : List.of(NS, "stowage")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        ClusterObjects.postgresApp(client, PASSWORD, SOURCE_DB);
        api = new ApiRecorder(client.getConfiguration());
        for (Doc service : manifests.of(SERVING, "Service")) {
            JsonNode pod = service.spec().path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            FunctionServer fn = FunctionServer.start(application(container),
                    Map.of("kubernetesClient", api.clientFor(pod.path("serviceAccountName").asText())),
                    KnativeRules.env(container));
            functions.put(service.name(), fn);
            uris.put(service.name(), fn.uri());
        }
        knative = knative(manifests);
    }

    @AfterAll
    static void stop() throws Exception {
        if (knative != null) {
            knative.close();
        }
        functions.values().forEach(FunctionServer::close);
        if (api != null) {
            api.close();
        }
        PgDatabases.drop(SOURCE_DB);
    }

    /** Knative as {@code m} wires it, JobSink Jobs run as their container would run. */
    static InTestKnative knative(Manifests m) throws IOException {
        return new InTestKnative(m, knativeCrds, uris, run -> FunctionServer.runJob(application(run.container()),
                Map.of("kubernetesClient", api.clientFor(run.serviceAccount())), run.env()), dir.resolve("jobs"));
    }

    static Class<?> application(JsonNode container) {
        String image = container.path("image").asText();
        String module = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
        Class<?> app = APPLICATIONS.get(module);
        assertThat(app).as("the function of image " + image).isNotNull();
        return app;
    }

    // ------------------------------------------------------------------ the flows

    /**
     * PingSource tick → scheduler → BackupSession and backup.requested → Broker → Trigger pg-backup →
     * Sequence [pg-backup, post-backup] → Succeeded, three times: retention keeps two snapshots,
     * the Repository's status follows, history is cut. The ApiServerSource's add event for the new
     * session makes a second request, which the session claim absorbs: one backup, one outcome.
     */
    @Test
    @Order(1)
    void scheduledBackupsThroughTheBrokerAndTheSequence() throws Exception {
        repository("pg-repo", "pg");
        ClusterObjects.nightlyPgBackup(client, "pg-repo");
        int mark = knative.mark();
        knative.apiServer("add", ClusterObjects.config(client, NS, "nightly"));
        knative.drain();
        assertThat(routes(mark)).containsExactly(
                "Trigger scheduler-resources -> Service scheduler: dev.knative.apiserver.ref.add 200");
        PingSource ping = ClusterObjects.pingSource(client, NS, "nightly");
        assertThat(ping.getSpec().getSink().getRef().getName()).isEqualTo("stowage");
        assertThat(ping.getSpec().getSink().getRef().getNamespace()).isEqualTo("stowage");

        Instant first = Instant.parse("2026-11-20T03:00:00Z");
        for (int i = 0; i < 3; i++) {
            Instant at = first.plusSeconds(86_400L * i);
            String name = "nightly-" + at.getEpochSecond();
            mark = knative.mark();
            knative.tick(ping, at);
            if (i == 0) {
                // the ApiServerSource announces the session the tick creates
                BackupSession announced = new BackupSession();
                announced.getMetadata().setName(name);
                announced.getMetadata().setNamespace(NS);
                knative.apiServer("add", announced);
            }
            knative.drain();
            assertThat(ClusterObjects.session(client, NS, name).getStatus().getPhase()).as(name).isEqualTo(BackupSessionPhase.Succeeded);
            if (i == 0) {
                assertThat(routes(mark)).containsExactly(
                        "Trigger scheduler-ping -> Service scheduler: dev.knative.sources.ping 200 reply "
                                + "dev.stowage.backup.requested",
                        "Trigger scheduler-resources -> Service scheduler: dev.knative.apiserver.ref.add 200 reply "
                                + "dev.stowage.backup.requested",
                        "Trigger pg-backup -> Sequence pg-backup: dev.stowage.backup.requested 202",
                        "Trigger pg-backup -> Sequence pg-backup: dev.stowage.backup.requested 202",
                        "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 200 reply "
                                + "dev.stowage.backup.completed",
                        "Sequence pg-backup step 1 -> Service post-backup: dev.stowage.backup.completed 200",
                        // the duplicate request: the session is finished, no reply, the Sequence ends
                        "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 200");
            } else {
                assertThat(routes(mark)).containsExactly(
                        "Trigger scheduler-ping -> Service scheduler: dev.knative.sources.ping 200 reply "
                                + "dev.stowage.backup.requested",
                        "Trigger pg-backup -> Sequence pg-backup: dev.stowage.backup.requested 202",
                        "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 200 reply "
                                + "dev.stowage.backup.completed",
                        "Sequence pg-backup step 1 -> Service post-backup: dev.stowage.backup.completed 200");
            }
        }
        assertThat(knative.lost()).isEmpty();
        // completions never reach the Broker: nothing could deliver them to post-backup a second time
        assertThat(knative.published()).noneMatch(e -> e.type().equals(EventTypes.BACKUP_COMPLETED));

        List<JsonNode> snapshots = Restic.snapshots(dir.resolve("pg"), PASSWORD);
        assertThat(snapshots).hasSize(2);
        Restic.run(dir.resolve("pg"), PASSWORD, "check");
        Repository repo = client.resources(Repository.class).inNamespace(NS).withName("pg-repo").get();
        assertThat(repo.getStatus().getSnapshotCount()).isEqualTo(2L);
        assertThat(repo.getStatus().getSnapshotsRemovedOnLastCleanup()).isEqualTo(1L);
        assertThat(client.resources(BackupSession.class).inNamespace(NS)
                .withLabel(BackupSession.LABEL_BACKUP_CONFIGURATION, "nightly").list().getItems()).hasSize(2);
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("BackupSucceeded"));

        // the schedule changes, then the configuration is paused: the PingSource follows
        BackupConfiguration changed = ClusterObjects.config(client, NS, "nightly");
        changed.getSpec().setSchedule("30 3 * * *");
        client.resource(changed).update();
        knative.apiServer("update", changed);
        knative.drain();
        assertThat(ClusterObjects.pingSource(client, NS, "nightly").getSpec().getSchedule()).isEqualTo("30 3 * * *");
        BackupConfiguration paused = ClusterObjects.config(client, NS, "nightly");
        paused.getSpec().setPaused(true);
        client.resource(paused).update();
        knative.apiServer("update", paused);
        knative.drain();
        assertThat(ClusterObjects.pingSource(client, NS, "nightly")).isNull();
        assertThat(knative.lost()).isEmpty();
    }

    /** BackupSessions and RestoreSessions created by hand reach the scheduler through the ApiServerSource. */
    @Test
    @Order(2)
    void sessionsCreatedByHand() throws Exception {
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupSession
                metadata: {name: nightly-instant, namespace: demo, labels: {stowage.dev/backup-configuration: nightly}}
                spec: {invoker: {apiGroup: stowage.dev, kind: BackupConfiguration, name: nightly}}
                """);
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupSession
                metadata: {name: orphan, namespace: demo}
                spec: {invoker: {apiGroup: stowage.dev, kind: BackupConfiguration, name: no-such-configuration}}
                """);
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: RestoreSession
                metadata: {name: aimless, namespace: demo}
                spec:
                  repository: {name: pg-repo}
                  task: {name: pg-restore}
                """);
        int mark = knative.mark();
        knative.apiServer("add", ClusterObjects.session(client, NS, "nightly-instant"));
        knative.apiServer("add", ClusterObjects.session(client, NS, "orphan"));
        knative.apiServer("add", restoreSession("aimless"));
        knative.drain();
        assertThat(routes(mark)).containsExactly(
                "Trigger scheduler-resources -> Service scheduler: dev.knative.apiserver.ref.add 200 reply "
                        + "dev.stowage.backup.requested",
                "Trigger scheduler-resources -> Service scheduler: dev.knative.apiserver.ref.add 200",
                "Trigger scheduler-resources -> Service scheduler: dev.knative.apiserver.ref.add 200",
                "Trigger pg-backup -> Sequence pg-backup: dev.stowage.backup.requested 202",
                "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 200 reply "
                        + "dev.stowage.backup.completed",
                "Sequence pg-backup step 1 -> Service post-backup: dev.stowage.backup.completed 200");
        assertThat(ClusterObjects.session(client, NS, "nightly-instant").getStatus().getPhase()).isEqualTo(BackupSessionPhase.Succeeded);
        assertThat(ClusterObjects.session(client, NS, "orphan").getStatus().getPhase()).isEqualTo(BackupSessionPhase.Failed);
        assertThat(restoreSession("aimless").getStatus().getPhase()).isEqualTo(RestorePhase.Invalid);
        assertThat(knative.lost()).isEmpty();
    }

    /** ApiServerSource add → scheduler → restore.requested → Sequence [restore, post-backup] → a restored database. */
    @Test
    @Order(3)
    void restoreSessionToARestoredDatabase() throws Exception {
        String target = "stowage_fn_flow_restored";
        PgDatabases.drop(target);
        ClusterObjects.pgRestoreSession(client, "recover", "pg-repo", target);
        try {
            int mark = knative.mark();
            knative.apiServer("add", restoreSession("recover"));
            knative.drain();
            assertThat(routes(mark)).containsExactly(
                    "Trigger scheduler-resources -> Service scheduler: dev.knative.apiserver.ref.add 200 reply "
                            + "dev.stowage.restore.requested",
                    "Trigger pg-restore -> Sequence pg-restore: dev.stowage.restore.requested 202",
                    "Sequence pg-restore step 0 -> Service restore: dev.stowage.restore.requested 200 reply "
                            + "dev.stowage.restore.completed",
                    "Sequence pg-restore step 1 -> Service post-backup: dev.stowage.restore.completed 200");
            assertThat(restoreSession("recover").getStatus().getPhase()).isEqualTo(RestorePhase.Succeeded);
            assertThat(PgDatabases.checksums(target)).isEqualTo(PgDatabases.checksums(SOURCE_DB));
            assertThat(knative.lost()).isEmpty();
        } finally {
            PgDatabases.drop(target);
        }
    }

    /**
     * A configuration whose task is pg-backup-job: the request goes to the JobSink, the same
     * pg-backup image runs once as a Job (K_EVENT_PATH), sends its reply to the Broker (K_SINK),
     * and the task's report Trigger hands it to post-backup. A redelivered request makes no second Job.
     */
    @Test
    @Order(4)
    void longBackupThroughTheJobSink() throws Exception {
        repository("job-repo", "job");
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: bulk, namespace: demo}
                spec:
                  schedule: "0 4 * * *"
                  timeOut: 12h
                  task: {name: pg-backup-job, params: [{name: backupCMD, value: pg_dump}]}
                  repository: {name: job-repo}
                  target: {ref: {apiVersion: appcatalog.appscode.com/v1alpha1, kind: AppBinding, name: app-db}}
                """);
        knative.apiServer("add", ClusterObjects.config(client, NS, "bulk"));
        knative.drain();
        Instant at = Instant.parse("2026-11-21T04:00:00Z");
        int mark = knative.mark();
        knative.tick(ClusterObjects.pingSource(client, NS, "bulk"), at);
        knative.drain();
        assertThat(routes(mark)).containsExactly(
                "Trigger scheduler-ping -> Service scheduler: dev.knative.sources.ping 200 reply "
                        + "dev.stowage.backup.requested",
                "Trigger pg-backup-job -> JobSink pg-backup-job: dev.stowage.backup.requested 202",
                "Job -> container pg-backup: dev.stowage.backup.requested 0",
                "Trigger pg-backup-job-report -> Service post-backup: dev.stowage.backup.completed 200");
        BackupSession session = ClusterObjects.session(client, NS, "bulk-" + at.getEpochSecond());
        assertThat(session.getStatus().getPhase()).isEqualTo(BackupSessionPhase.Succeeded);
        assertThat(session.getStatus().getTargets().get(0).getStats().get(0).getSnapshots()).hasSize(1);
        assertThat(Restic.snapshots(dir.resolve("job"), PASSWORD)).hasSize(1);

        CloudEvent request = knative.published().stream()
                .filter(e -> e.type().equals(EventTypes.BACKUP_REQUESTED) && "pg-backup-job".equals(e.extension(EventTypes.TASK)))
                .reduce((a, b) -> b).orElseThrow();
        int jobs = knative.jobs().size();
        mark = knative.mark();
        knative.publish("stowage", "stowage", request);
        knative.drain();
        assertThat(routes(mark)).containsExactly(
                "Trigger pg-backup-job -> JobSink pg-backup-job: dev.stowage.backup.requested 202");
        assertThat(knative.jobs()).hasSize(jobs);
        assertThat(knative.lost()).isEmpty();
    }

    /**
     * pg-backup answers 500 (the API refuses its claim): the Sequence step retries with exponential
     * backoff; twice and then success completes the session, six failures (the first attempt and five
     * retries) dead-letter the request to post-backup, which fails the session with the reason.
     */
    @Test
    @Order(5)
    void retriesThenTheDeadLetterSink() throws Exception {
        repository("flaky-repo", "flaky");
        for (String name : List.of("flaky", "broken")) {
            ClusterObjects.apply(client, """
                    apiVersion: stowage.dev/v1alpha1
                    kind: BackupConfiguration
                    metadata: {name: %s, namespace: demo}
                    spec:
                      schedule: "0 5 * * *"
                      task: {name: pg-backup, params: [{name: backupCMD, value: pg_dump}]}
                      repository: {name: flaky-repo}
                      target: {ref: {apiVersion: appcatalog.appscode.com/v1alpha1, kind: AppBinding, name: app-db}}
                    """.formatted(name));
            knative.apiServer("add", ClusterObjects.config(client, NS, name));
        }
        knative.drain();
        Instant at = Instant.parse("2026-11-21T05:00:00Z");
        String claim = "/apis/stowage.dev/v1alpha1/namespaces/demo/backupsessions/";

        server.expect().put().withPath(claim + "flaky-" + at.getEpochSecond())
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcdserver: request timed out\"}")
                .times(2);
        int mark = knative.mark();
        knative.tick(ClusterObjects.pingSource(client, NS, "flaky"), at);
        knative.drain();
        assertThat(routes(mark)).containsExactly(
                "Trigger scheduler-ping -> Service scheduler: dev.knative.sources.ping 200 reply "
                        + "dev.stowage.backup.requested",
                "Trigger pg-backup -> Sequence pg-backup: dev.stowage.backup.requested 202",
                "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 500",
                "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 500 after PT2S",
                "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 200 reply "
                        + "dev.stowage.backup.completed after PT4S",
                "Sequence pg-backup step 1 -> Service post-backup: dev.stowage.backup.completed 200");
        assertThat(ClusterObjects.session(client, NS, "flaky-" + at.getEpochSecond()).getStatus().getPhase())
                .isEqualTo(BackupSessionPhase.Succeeded);

        server.expect().put().withPath(claim + "broken-" + at.getEpochSecond())
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcdserver: leader changed\"}")
                .always();
        mark = knative.mark();
        knative.tick(ClusterObjects.pingSource(client, NS, "broken"), at);
        knative.drain();
        List<String> expected = new ArrayList<>(List.of(
                "Trigger scheduler-ping -> Service scheduler: dev.knative.sources.ping 200 reply "
                        + "dev.stowage.backup.requested",
                "Trigger pg-backup -> Sequence pg-backup: dev.stowage.backup.requested 202",
                "Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 500"));
        for (String wait : List.of("PT2S", "PT4S", "PT8S", "PT16S", "PT32S")) {
            expected.add("Sequence pg-backup step 0 -> Service pg-backup: dev.stowage.backup.requested 500 after " + wait);
        }
        expected.add("dead letter of Sequence pg-backup step 0 -> Service post-backup: dev.stowage.backup.requested 200");
        assertThat(routes(mark)).containsExactlyElementsOf(expected);
        BackupSession broken = ClusterObjects.session(client, NS, "broken-" + at.getEpochSecond());
        assertThat(broken.getStatus().getPhase()).isEqualTo(BackupSessionPhase.Failed);
        assertThat(broken.getStatus().getTargets().get(0).getStats().get(0).getError())
                .startsWith("delivery of dev.stowage.backup.requested to http://pg-backup.stowage.svc.cluster.local "
                        + "failed with HTTP 500: ")
                .contains("leader changed");
        assertThat(knative.lost()).isEmpty();
    }

    // ------------------------------------------------------------------ the wiring must match the functions

    static Stream<Arguments> wirings() {
        return Stream.of(
                Arguments.of("as installed", "pg-backup", (Consumer<Manifests>) m -> { }, true),
                Arguments.of("as installed, JobSink route", "pg-backup-job", (Consumer<Manifests>) m -> { }, true),
                Arguments.of("Trigger pg-backup filters another task name", "pg-backup", (Consumer<Manifests>) m ->
                        attributes(m, "pg-backup").put("stowagetask", "pgbackup"), false),
                Arguments.of("Trigger pg-backup filters another type", "pg-backup", (Consumer<Manifests>) m ->
                        attributes(m, "pg-backup").put("type", "dev.stowage.backup.request"), false),
                Arguments.of("Trigger scheduler-ping filters another type", "pg-backup", (Consumer<Manifests>) m ->
                        attributes(m, "scheduler-ping").put("type", "dev.knative.sources.pings"), false),
                Arguments.of("Trigger scheduler-resources filters another apiversion", "pg-backup",
                        (Consumer<Manifests>) m -> ((ObjectNode) trigger(m, "scheduler-resources").spec().path("filters")
                                .get(1).path("exact")).put("apiversion", "stowage.dev/v1"), false),
                Arguments.of("Sequence pg-backup without its post-backup step", "pg-backup", (Consumer<Manifests>) m ->
                        ((ArrayNode) m.get(FLOWS, "Sequence", "stowage", "pg-backup").spec().path("steps")).remove(1),
                        false),
                Arguments.of("Sequence pg-backup runs restore instead of pg-backup", "pg-backup",
                        (Consumer<Manifests>) m -> ((ObjectNode) m.get(FLOWS, "Sequence", "stowage", "pg-backup").spec()
                                .path("steps").get(0).path("ref")).put("name", "restore"), false),
                Arguments.of("report Trigger of pg-backup-job filters another task", "pg-backup-job",
                        (Consumer<Manifests>) m -> ((ObjectNode) trigger(m, "pg-backup-job-report").spec()
                                .path("filters").get(0).path("exact")).put("stowagetask", "pg-backup"), false));
    }

    /**
     * The backup flow under a wiring: as installed it completes; with any Trigger filter or Sequence
     * that no longer matches what the functions emit, it does not (and the lost event says why).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("wirings")
    @Order(6)
    void theFlowCompletesOnlyWhenTheWiringMatchesTheFunctions(String wiring, String task, Consumer<Manifests> change,
                                                               boolean completes) throws Exception {
        Manifests changed = manifests.copy();
        change.accept(changed);
        String name = "w" + Integer.toHexString(wiring.hashCode() & 0xfffffff);
        repository(name, name);
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: BackupConfiguration
                metadata: {name: %s, namespace: demo}
                spec:
                  schedule: "0 6 * * *"
                  task: {name: %s, params: [{name: backupCMD, value: pg_dump}]}
                  repository: {name: %s}
                  target: {ref: {apiVersion: appcatalog.appscode.com/v1alpha1, kind: AppBinding, name: app-db}}
                """.formatted(name, task, name));
        Instant at = Instant.parse("2026-11-21T06:00:00Z");
        try (InTestKnative wired = knative(changed)) {
            wired.apiServer("add", ClusterObjects.config(client, NS, name));
            wired.drain();
            PingSource ping = ClusterObjects.pingSource(client, NS, name);
            if (ping != null) {
                wired.tick(ping, at);
                wired.drain();
            }
            BackupSession session = ClusterObjects.session(client, NS, name + "-" + at.getEpochSecond());
            boolean succeeded = session != null && session.getStatus() != null
                    && session.getStatus().getPhase() == BackupSessionPhase.Succeeded;
            assertThat(succeeded).as(wiring + ": deliveries " + wired.deliveries() + ", lost " + wired.lost())
                    .isEqualTo(completes);
            if (completes) {
                assertThat(wired.lost()).isEmpty();
                assertThat(Restic.snapshots(dir.resolve(name), PASSWORD)).hasSize(1);
            } else {
                assertThat(wired.lost().isEmpty() && session != null
                        && session.getStatus().getPhase() != BackupSessionPhase.Failed)
                        .as("a broken wiring shows as a lost event or a failed session").isFalse();
            }
        }
    }

    // ------------------------------------------------------------------ RBAC against the calls made

    /**
     * Every API request each function made in the flows above is allowed by its account's role in
     * the manifests, and every rule of each role was needed by some request.
     */
    @Test
    @Order(100)
    void everyApiCallIsGrantedAndEveryGrantIsUsed() {
        assertThat(api.unparsed()).isEmpty();
        List<String> denied = new ArrayList<>();
        Map<String, Set<String>> used = new HashMap<>();
        for (ApiRecorder.Request r : api.requests()) {
            Rbac rbac = Rbac.of(manifests, "stowage", r.account());
            if (!rbac.allows(r.group(), r.resource(), r.verb(), r.namespace())) {
                denied.add(r.toString());
            }
            used.computeIfAbsent(r.account(), k -> new TreeSet<>())
                    .add(new Rbac.Grant(r.group(), r.resource(), r.verb()).toString());
        }
        assertThat(denied).as("requests the roles do not allow").isEmpty();
        for (String account : List.of("pg-backup", "restore", "post-backup", "scheduler")) {
            Set<String> granted = Rbac.of(manifests, "stowage", account).grants().stream().map(Rbac.Grant::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(used.getOrDefault(account, Set.of())).as(account + ": rules no request needed")
                    .containsExactlyInAnyOrderElementsOf(granted);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The deliveries since {@code mark}, with Job names (a hash of the event) left out. */
    private static List<String> routes(int mark) {
        return knative.deliveriesSince(mark).stream()
                .map(d -> d.route().startsWith("Job ") ? d.toString().replaceFirst("^Job \\S+", "Job") : d.toString())
                .toList();
    }

    private static ObjectNode attributes(Manifests m, String trigger) {
        return (ObjectNode) trigger(m, trigger).spec().path("filter").path("attributes");
    }

    private static Doc trigger(Manifests m, String name) {
        return m.get(EVENTING, "Trigger", "stowage", name);
    }

    private static void repository(String name, String subPath) {
        ClusterObjects.apply(client, """
                apiVersion: stowage.dev/v1alpha1
                kind: Repository
                metadata: {name: %s, namespace: demo}
                spec: {backend: {storageSecretName: repo-secret, local: {mountPath: "%s", subPath: %s}}}
                """.formatted(name, dir, subPath));
    }


    private static RestoreSession restoreSession(String name) {
        return client.resources(RestoreSession.class).inNamespace(NS).withName(name).get();
    }
}
