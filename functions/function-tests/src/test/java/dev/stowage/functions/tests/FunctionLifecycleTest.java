package dev.stowage.functions.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.functions.pgbackup.PgBackupApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health endpoints, graceful shutdown, and pg_dumpall through the pg-backup function. */
class FunctionLifecycleTest {
    private static final String DB = "stowage_fn_lifecycle";
    private static final String PASSWORD = "lifecycle password";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path passwordFile;
    static final CloudEventClient client = new CloudEventClient();

    @BeforeAll
    static void database() throws Exception {
        PgDatabases.create(DB);
        PgDatabases.populate(DB, 5_000);
        passwordFile = Files.writeString(dir.resolve("pw"), PASSWORD);
    }

    @AfterAll
    static void drop() throws Exception {
        PgDatabases.drop(DB);
    }

    @Test
    void probesAnswerAndShutdownFinishesTheBackupInFlightAndReleasesTheLock() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("slow-bin"));
        Path dump = bin.resolve("pg_dump");
        Files.writeString(dump, "#!/bin/bash\nsleep 3\nexec /usr/bin/pg_dump \"$@\"\n");
        Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repo = dir.resolve("graceful");
        FunctionServer server = FunctionServer.start(PgBackupApplication.class, Map.of(),
                "stowage.postgres.bin-dir=" + bin, "server.shutdown=graceful");
        CompletableFuture<CloudEventClient.Response> inFlight;
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (String probe : new String[] {"liveness", "readiness"}) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        server.uri().resolve("/actuator/health/" + probe)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("UP");
            }
            CloudEvent request = TestEvents.backup(repo, passwordFile, DB, Map.of());
            URI uri = server.uri();
            inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.sendBinary(uri, request);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // wait until the backup holds its lock, then stop the function as SIGTERM would
            for (int i = 0; i < 100 && !(Files.isDirectory(repo.resolve("locks"))
                    && Files.list(repo.resolve("locks")).findAny().isPresent()); i++) {
                Thread.sleep(50);
            }
            assertThat(Files.list(repo.resolve("locks")).count()).isEqualTo(1);
        } finally {
            server.close();
        }
        CloudEventClient.Response response = inFlight.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.reply().orElseThrow().type()).isEqualTo(EventTypes.BACKUP_COMPLETED);
        assertThat(Files.list(repo.resolve("locks")).count()).isZero();
        assertThat(Restic.snapshots(repo, PASSWORD)).hasSize(1);
    }

    @Test
    void pgDumpallBacksUpTheWholeServer() throws Exception {
        Path repo = dir.resolve("dumpall");
        try (FunctionServer server = FunctionServer.start(PgBackupApplication.class, Map.of())) {
            CloudEvent reply = client.sendBinary(server.uri(),
                    TestEvents.backup(repo, passwordFile, null, Map.of("backupCMD", "pg_dumpall", "args", "--clean --if-exists")))
                    .reply().orElseThrow();
            assertThat(reply.type()).as(new String(reply.data())).isEqualTo(EventTypes.BACKUP_COMPLETED);
            assertThat(JSON.readTree(reply.data()).at("/stats/snapshots/0/path").asText()).isEqualTo("/dumpfile.sql");
        }
        String dump = Restic.run(repo, PASSWORD, "dump", "latest", "/dumpfile.sql");
        assertThat(dump).contains("PostgreSQL database cluster dump complete").contains("\\connect " + DB);
    }
}
