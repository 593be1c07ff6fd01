package dev.stowage.functions.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.engine.event.BackupRequest;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.event.PostgresTarget;
import dev.stowage.engine.event.RepositoryAddress;
import dev.stowage.engine.event.SecretRef;
import dev.stowage.functions.pgbackup.PgBackupApplication;
import dev.stowage.functions.restore.RestoreApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg-backup and restore over real HTTP against the local PostgreSQL, judged by restic. */
class PgBackupRestoreTest {
    private static final String PASSWORD = "function test password";
    private static final String SOURCE_DB = "stowage_fn_source";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path passwordFile;
    static FunctionServer pgBackup;
    static FunctionServer restore;
    static final CloudEventClient client = new CloudEventClient();

    @BeforeAll
    static void start() throws Exception {
        passwordFile = Files.writeString(dir.resolve("repo-password"), PASSWORD + "\n");
        PgDatabases.create(SOURCE_DB);
        PgDatabases.populate(SOURCE_DB, 120_000);
        pgBackup = FunctionServer.start(PgBackupApplication.class, Map.of());
        restore = FunctionServer.start(RestoreApplication.class, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pgBackup != null) {
            pgBackup.close();
        }
        if (restore != null) {
            restore.close();
        }
        PgDatabases.drop(SOURCE_DB);
    }

    @Test
    void backupThenRestoreIntoNewDatabaseGivesEqualTables() throws Exception {
        Path repo = dir.resolve("roundtrip");
        CloudEvent base = backupEvent(repo, SOURCE_DB, Map.of());
        // extensions the sender adds (an ApiServerSource adds kind, name, ...) must not leak into the reply
        CloudEvent request = new CloudEvent(base.id(), base.source(), base.type(), null, base.time(),
                base.dataContentType(), Map.of("kind", "BackupSession", "foo", "bar"), base.data());
        CloudEventClient.Response response = client.sendBinary(pgBackup.uri(), request);
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        CloudEvent reply = response.reply().orElseThrow();
        assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_COMPLETED);
        assertThat(reply.id()).isNotEqualTo(request.id());
        assertThat(reply.extensions()).containsOnlyKeys(EventTypes.TASK);
        assertThat(reply.extension(EventTypes.TASK)).isEqualTo("pg-backup");
        // the request's own attributes are not echoed back as a second value
        assertThat(response.headers().allValues("ce-type")).containsExactly(EventTypes.BACKUP_COMPLETED);
        JsonNode stats = JSON.readTree(reply.data()).get("stats");
        assertThat(stats.get("phase").asText()).isEqualTo("Succeeded");
        JsonNode snap = stats.get("snapshots").get(0);
        assertThat(snap.get("path").asText()).isEqualTo("/dumpfile.sql");
        assertThat(snap.get("fileStats").get("totalFiles").asLong()).isEqualTo(1);

        List<JsonNode> snapshots = Restic.snapshots(repo, PASSWORD);
        assertThat(snapshots).hasSize(1);
        assertThat(snapshots.get(0).get("id").asText()).isEqualTo(snap.get("id").asText());
        Restic.run(repo, PASSWORD, "check", "--read-data");
        assertThat(Restic.run(repo, PASSWORD, "dump", "latest", "/dumpfile.sql"))
                .contains("PostgreSQL database dump complete").contains("Ünïcödé ✓ 客户");

        String target = "stowage_fn_restored";
        PgDatabases.drop(target);
        try {
            CloudEvent restoreRequest = restoreEvent(repo, "latest", Map.of("targetDatabase", target));
            CloudEventClient.Response restored = client.sendStructured(restore.uri(), restoreRequest);
            assertThat(restored.status()).as(restored.bodyText()).isEqualTo(200);
            CloudEvent restoreReply = restored.reply().orElseThrow();
            assertThat(restoreReply.type()).as(new String(restoreReply.data())).isEqualTo(EventTypes.RESTORE_COMPLETED);
            Map<String, String> expected = PgDatabases.checksums(SOURCE_DB);
            assertThat(expected.get("shop.orders")).startsWith("120000:");
            assertThat(PgDatabases.checksums(target)).isEqualTo(expected);
        } finally {
            PgDatabases.drop(target);
        }
    }

    @Test
    void customFormatDumpRestoresThroughPgRestore() throws Exception {
        Path repo = dir.resolve("custom");
        CloudEventClient.Response response = client.sendBinary(pgBackup.uri(),
                backupEvent(repo, SOURCE_DB, Map.of("args", "--format=custom --compress=0")));
        assertThat(response.reply().orElseThrow().type()).as(response.bodyText()).isEqualTo(EventTypes.BACKUP_COMPLETED);
        assertThat(Restic.snapshots(repo, PASSWORD).get(0).get("paths").get(0).asText()).isEqualTo("/dumpfile.dump");
        String target = "stowage_fn_custom";
        PgDatabases.drop(target);
        try {
            CloudEvent reply = client.sendBinary(restore.uri(), restoreEvent(repo, "latest",
                    Map.of("targetDatabase", target))).reply().orElseThrow();
            assertThat(reply.type()).as(new String(reply.data())).isEqualTo(EventTypes.RESTORE_COMPLETED);
            assertThat(PgDatabases.checksums(target)).isEqualTo(PgDatabases.checksums(SOURCE_DB));
        } finally {
            PgDatabases.drop(target);
        }
    }

    @Test
    void duplicateDeliveriesMakeOneSnapshot() throws Exception {
        Path repo = dir.resolve("duplicates");
        CloudEvent request = backupEvent(repo, SOURCE_DB, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<CloudEvent> replies = new ArrayList<>();
        try {
            List<Future<CloudEventClient.Response>> concurrent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                concurrent.add(pool.submit(() -> client.sendBinary(pgBackup.uri(), request)));
            }
            for (Future<CloudEventClient.Response> f : concurrent) {
                replies.add(f.get().reply().orElseThrow());
            }
        } finally {
            pool.shutdown();
        }
        replies.add(client.sendBinary(pgBackup.uri(), request).reply().orElseThrow());
        replies.add(client.sendStructured(pgBackup.uri(), request).reply().orElseThrow());
        List<JsonNode> snapshots = Restic.snapshots(repo, PASSWORD);
        assertThat(snapshots).hasSize(1);
        String id = snapshots.get(0).get("id").asText();
        for (CloudEvent reply : replies) {
            assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_COMPLETED);
            assertThat(JSON.readTree(reply.data()).at("/stats/snapshots/0/id").asText()).isEqualTo(id);
        }
    }

    @Test
    void missingDatabaseFailsWithReasonAndNoSnapshot() throws Exception {
        Path repo = dir.resolve("missing-db");
        CloudEvent reply = client.sendBinary(pgBackup.uri(), backupEvent(repo, "no_such_database_here", Map.of()))
                .reply().orElseThrow();
        assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(JSON.readTree(reply.data()).at("/stats/error").asText())
                .contains("pg_dump failed").contains("no_such_database_here");
        assertThat(Restic.snapshots(repo, PASSWORD)).isEmpty();
    }

    @Test
    void unknownRoleFailsWithReasonAndNoSnapshot() throws Exception {
        Path repo = dir.resolve("bad-role");
        CloudEvent event = Events.create(EventTypes.BACKUP_REQUESTED, "/test", null, Map.of(),
                new BackupRequest(null, repository(repo), new PostgresTarget(PgDatabases.HOST, 5432, SOURCE_DB,
                        "no_such_role", null), null, List.of(), Map.of()));
        CloudEvent reply = client.sendBinary(pgBackup.uri(), event).reply().orElseThrow();
        assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(JSON.readTree(reply.data()).at("/stats/error").asText()).contains("no_such_role");
        assertThat(Restic.snapshots(repo, PASSWORD)).isEmpty();
    }

    @Test
    void wrongRepositoryPasswordFailsNamingIt() throws Exception {
        Path repo = dir.resolve("wrong-password");
        client.sendBinary(pgBackup.uri(), backupEvent(repo, SOURCE_DB, Map.of())).reply().orElseThrow();
        Path wrong = Files.writeString(dir.resolve("wrong-password-file"), "not the password");
        CloudEvent event = Events.create(EventTypes.BACKUP_REQUESTED, "/test", null, Map.of(),
                new BackupRequest(null, new RepositoryAddress(repo.toString(), SecretRef.ofFile(wrong.toString()), null),
                        postgres(SOURCE_DB), null, List.of(), Map.of()));
        CloudEvent reply = client.sendBinary(pgBackup.uri(), event).reply().orElseThrow();
        assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(JSON.readTree(reply.data()).at("/stats/error").asText()).containsIgnoringCase("password");
        assertThat(Restic.snapshots(repo, PASSWORD)).hasSize(1);
    }

    @Test
    void missingSecretFileFailsNamingIt() throws Exception {
        Path repo = dir.resolve("missing-secret");
        CloudEvent event = Events.create(EventTypes.BACKUP_REQUESTED, "/test", null, Map.of(),
                new BackupRequest(null, new RepositoryAddress(repo.toString(), SecretRef.ofFile("/nonexistent/pw"), null),
                        postgres(SOURCE_DB), null, List.of(), Map.of()));
        CloudEvent reply = client.sendBinary(pgBackup.uri(), event).reply().orElseThrow();
        assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(JSON.readTree(reply.data()).at("/stats/error").asText()).contains("/nonexistent/pw");
        assertThat(repo).doesNotExist();
    }

    @Test
    void malformedAndUnknownEventsAreClientErrorsNamingTheProblem() throws Exception {
        CloudEventClient.Response notAnEvent = client.sendRaw(pgBackup.uri(), Map.of("Content-Type", "application/json"), "{}");
        assertThat(notAnEvent.status()).isEqualTo(400);
        assertThat(notAnEvent.bodyText()).contains("ce-specversion");
        assertThat(notAnEvent.reply()).isEmpty();

        CloudEventClient.Response noType = client.sendRaw(pgBackup.uri(), Map.of("Ce-Specversion", "1.0", "Ce-Id", "1",
                "Ce-Source", "/t", "Content-Type", "application/json"), "{}");
        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.bodyText()).contains("\\\"type\\\"");

        CloudEventClient.Response unknownType = client.sendBinary(pgBackup.uri(),
                Events.create("com.example.unknown", "/t", null, Map.of(), Map.of()));
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.bodyText()).contains("com.example.unknown");

        CloudEventClient.Response badJson = client.sendRaw(pgBackup.uri(), Map.of("Ce-Specversion", "1.0", "Ce-Id", "1",
                "Ce-Source", "/t", "Ce-Type", EventTypes.BACKUP_REQUESTED, "Content-Type", "application/json"), "{nope");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.bodyText()).contains("not valid JSON");

        CloudEventClient.Response missingField = client.sendRaw(pgBackup.uri(), Map.of("Ce-Specversion", "1.0", "Ce-Id",
                "1", "Ce-Source", "/t", "Ce-Type", EventTypes.BACKUP_REQUESTED, "Content-Type", "application/json"),
                "{\"repository\":{\"password\":{\"env\":\"X\"}},\"postgres\":{\"host\":\"h\",\"user\":\"u\"}}");
        assertThat(missingField.status()).isEqualTo(400);
        assertThat(missingField.bodyText()).contains("repository.url");

        CloudEventClient.Response typo = client.sendStructured(pgBackup.uri(), new CloudEvent("1", "/t",
                EventTypes.BACKUP_REQUESTED, null, null, "application/json", Map.of(),
                "{\"repository\":{\"url\":\"/x\",\"password\":{\"env\":\"X\"}},\"postgres\":{\"host\":\"h\",\"user\":\"u\",\"pasword\":\"p\"}}".getBytes()));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.bodyText()).contains("postgres.pasword");

        CloudEventClient.Response sessionWithoutCluster = client.sendBinary(pgBackup.uri(),
                Events.create(EventTypes.BACKUP_REQUESTED, "/t", null, Map.of(),
                        Map.of("session", Map.of("namespace", "demo", "name", "s1"))));
        assertThat(sessionWithoutCluster.status()).isEqualTo(400);
        assertThat(sessionWithoutCluster.bodyText()).contains("demo/s1");
    }

    static CloudEvent backupEvent(Path repo, String database, Map<String, String> params) {
        return TestEvents.backup(repo, passwordFile, database, params);
    }

    static CloudEvent restoreEvent(Path repo, String snapshot, Map<String, String> params) {
        return TestEvents.restore(repo, passwordFile, snapshot, params);
    }

    static RepositoryAddress repository(Path repo) {
        return TestEvents.repository(repo, passwordFile);
    }

    static PostgresTarget postgres(String database) {
        return TestEvents.postgres(database);
    }
}
