package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.backend.GcsTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage -r gs:bucket:/prefix} through the Google client over HTTP, against the engine's
 * {@link GcsTestServer} named by {@code STORAGE_EMULATOR_HOST} (as with fake-gcs-server). restic
 * is not run on these repositories: its GCS backend cannot be pointed at a local server.
 */
class GcsRepositoryTest {
    private static final String BUCKET = "backups";
    private static final Pattern SAVED = Pattern.compile("(?m)^snapshot ([0-9a-f]{8}) saved$");

    @TempDir
    Path tmp;
    private GcsTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new GcsTestServer(BUCKET);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Cli cli(String repository) {
        return Cli.bare().env("STOWAGE_PASSWORD", Cli.PASSWORD)
                .env("STORAGE_EMULATOR_HOST", server.endpoint().getAuthority())
                .env("STOWAGE_REPOSITORY", repository);
    }

    private List<String> names(String prefix) {
        return server.objects.keySet().stream().filter(k -> k.startsWith(BUCKET + "/" + prefix + "/"))
                .map(k -> k.substring(BUCKET.length() + prefix.length() + 2)).sorted().toList();
    }

    @Test
    void backsUpToAndRestoresFromABucket() throws Exception {
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "hello\n");
        Cli.write(src.resolve("sub/b.txt"), "in a subdirectory\n");
        byte[] big = new byte[9_000_000];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("sub/big.bin"), big);
        Cli cli = cli("gs:" + BUCKET + ":/hosts/host1");

        Cli.Run init = cli.ok("init");
        assertTrue(init.out().startsWith("created restic repository "), init.out());
        assertTrue(names("hosts/host1").contains("config"), names("hosts/host1").toString());
        server.maxInFlight.set(0);
        Cli.Run backup = cli.ok("-o", "gs.connections=3", "backup", "--pack-size", "4", src.toString());
        assertEquals("", backup.err());
        assertTrue(server.maxInFlight.get() <= 3, "at most 3 requests at a time: " + server.maxInFlight.get());
        Matcher saved = SAVED.matcher(backup.out());
        assertTrue(saved.find(), backup.out());
        List<String> objects = names("hosts/host1");
        assertTrue(objects.stream().filter(k -> k.matches("data/[0-9a-f]{2}/[0-9a-f]{64}")).count() >= 2, objects.toString());
        assertTrue(objects.stream().anyMatch(k -> k.matches("snapshots/[0-9a-f]{64}")), objects.toString());
        assertTrue(objects.stream().anyMatch(k -> k.matches("index/[0-9a-f]{64}")), objects.toString());
        assertTrue(objects.stream().anyMatch(k -> k.matches("keys/[0-9a-f]{64}")), objects.toString());
        assertTrue(objects.stream().noneMatch(k -> k.startsWith("locks/")), "locks are removed: " + objects);

        assertTrue(cli.ok("snapshots").out().contains(saved.group(1)));
        cli.ok("check", "--read-data");
        Path target = tmp.resolve("restored");
        cli.ok("restore", "latest", "--target", target.toString());
        Path back = target.resolve(src.toString().substring(1));
        assertEquals("hello\n", Files.readString(back.resolve("a.txt")));
        assertEquals("in a subdirectory\n", Files.readString(back.resolve("sub/b.txt")));
        assertArrayEquals(big, Files.readAllBytes(back.resolve("sub/big.bin")));
    }

    @Test
    void transientServerErrorsDuringABackupAreRetried() throws Exception {
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "hello\n");
        Cli cli = cli("gs:" + BUCKET + ":/flaky");
        cli.ok("init");
        server.fail(503, 500, 429);
        Cli.Run backup = cli.ok("backup", src.toString());
        assertTrue(SAVED.matcher(backup.out()).find(), backup.out());
        assertEquals(1, cli.ok("snapshots", "--json").out().split("\"short_id\"").length - 1);
    }

    @Test
    void aMissingBucketIsNoRepository() {
        Cli.Run r = cli("gs:nothing-here:/repo").run("snapshots");
        assertEquals(StowageCommand.EXIT_NO_REPOSITORY, r.code(), r.err());
        assertTrue(r.err().startsWith("stowage: ") && r.err().contains("gs:nothing-here:/repo"), r.err());
    }

    @Test
    void unknownOptionsFailCleanly() {
        Cli.Run r = cli("gs:" + BUCKET + ":/repo").run("-o", "gs.connection=3", "snapshots");
        assertEquals(StowageCommand.EXIT_FATAL, r.code(), r.err());
        assertEquals("stowage: option gs.connection is not known\n", r.err());
        r = cli("gs:" + BUCKET + ":/repo").run("-o", "gs.connections=none", "snapshots");
        assertEquals("stowage: invalid value \"none\" for option gs.connections: expected a number above 0\n", r.err());
    }
}
