package dev.stowage.functions.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.functions.pgbackup.PgBackupApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dump cut short never becomes a snapshot (k8up-io/k8up#1109): pg_dump is replaced, through
 * {@code stowage.postgres.bin-dir}, by wrappers that pass on part of the real pg_dump's output and
 * then die or exit as if all were well.
 */
class DumpCutShortTest {
    private static final String DB = "stowage_fn_cut";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path passwordFile;
    static final CloudEventClient client = new CloudEventClient();

    @BeforeAll
    static void database() throws Exception {
        PgDatabases.create(DB);
        PgDatabases.populate(DB, 50_000);
        passwordFile = Files.writeString(dir.resolve("pw"), "cut password");
    }

    @AfterAll
    static void drop() throws Exception {
        PgDatabases.drop(DB);
    }

    @Test
    void killedMidStreamFailsWithoutSnapshot() throws Exception {
        CloudEvent reply = backupWith("/usr/bin/pg_dump \"$@\" | head -c 300000\nkill -9 $$\n", "killed");
        assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(JSON.readTree(reply.data()).at("/stats/error").asText()).contains("signal 9");
    }

    @Test
    void truncatedOutputWithSuccessStatusFailsWithoutSnapshot() throws Exception {
        CloudEvent reply = backupWith("/usr/bin/pg_dump \"$@\" | head -c 300000\nexit 0\n", "truncated");
        assertThat(reply.type()).isEqualTo(EventTypes.BACKUP_FAILED);
        assertThat(JSON.readTree(reply.data()).at("/stats/error").asText()).contains("dump is incomplete");
    }

    private CloudEvent backupWith(String script, String name) throws Exception {
        Path bin = Files.createDirectories(dir.resolve(name + "-bin"));
        Path dump = bin.resolve("pg_dump");
        Files.writeString(dump, "#!/bin/bash\n" + script);
        Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repo = dir.resolve(name + "-repo");
        try (FunctionServer server = FunctionServer.start(PgBackupApplication.class, Map.of(),
                "stowage.postgres.bin-dir=" + bin)) {
            CloudEventClient.Response response = client.sendBinary(server.uri(),
                    TestEvents.backup(repo, passwordFile, DB, Map.of()));
            assertThat(response.status()).isEqualTo(200);
            // the data went in, but no snapshot refers to it
            assertThat(Files.list(repo.resolve("data")).count()).isPositive();
            assertThat(Restic.snapshots(repo, "cut password")).isEmpty();
            Restic.run(repo, "cut password", "check");
            return response.reply().orElseThrow();
        }
    }
}
