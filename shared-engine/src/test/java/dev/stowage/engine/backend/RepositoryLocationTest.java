package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.StowageException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Repository locations in restic's notation. */
class RepositoryLocationTest {
    @Test
    void localPaths() {
        assertEquals(new RepositoryLocation.Local(Path.of("/srv/repo")), RepositoryLocation.parse("/srv/repo"));
        assertEquals(new RepositoryLocation.Local(Path.of("/srv/repo")), RepositoryLocation.parse("local:/srv/repo"));
        assertEquals(new RepositoryLocation.Local(Path.of("relative/repo")), RepositoryLocation.parse("relative/repo"));
    }

    @Test
    void s3Locations() {
        assertEquals(new RepositoryLocation.S3(URI.create("https://minio.example:9000"), "bucket", "some/prefix"),
                RepositoryLocation.parse("s3:https://minio.example:9000/bucket/some/prefix/"));
        assertEquals(new RepositoryLocation.S3(URI.create("http://127.0.0.1:9000"), "bucket", ""),
                RepositoryLocation.parse("s3:http://127.0.0.1:9000/bucket"));
        assertEquals(new RepositoryLocation.S3(null, "bucket", "prefix"),
                RepositoryLocation.parse("s3:s3.amazonaws.com/bucket/prefix"));
        assertEquals(new RepositoryLocation.S3(null, "bucket", ""), RepositoryLocation.parse("s3:s3.amazonaws.com/bucket"));
        assertEquals(new RepositoryLocation.S3(URI.create("https://s3.eu-west-1.amazonaws.com"), "b", "p"),
                RepositoryLocation.parse("s3:s3.eu-west-1.amazonaws.com/b/p"));
    }

    @Test
    void invalidAndUnsupportedLocations() {
        for (String bad : new String[] {"s3:https://host", "s3:https://host/", "s3:", "s3:http://s3.amazonaws.com/b"}) {
            assertThrows(StowageException.class, () -> RepositoryLocation.parse(bad), bad);
        }
        StowageException e = assertThrows(StowageException.class, () -> RepositoryLocation.parse("sftp:host:/repo"));
        assertEquals("repository type \"sftp\" is not supported by this build; use a local path, local:PATH, s3:... or gs:...",
                e.getMessage());
    }

    @Test
    void gcsLocationsAsResticParsesThem() {
        // restic's own cases (internal/backend/gs/config_test.go), then path.Clean's rules
        assertEquals(new RepositoryLocation.Gcs("bucketname", ""), RepositoryLocation.parse("gs:bucketname:/"));
        assertEquals(new RepositoryLocation.Gcs("bucketname", "prefix/directory"),
                RepositoryLocation.parse("gs:bucketname:/prefix/directory"));
        assertEquals(new RepositoryLocation.Gcs("bucketname", "prefix/directory"),
                RepositoryLocation.parse("gs:bucketname:/prefix/directory/"));
        assertEquals(new RepositoryLocation.Gcs("b", ""), RepositoryLocation.parse("gs:b:"));
        assertEquals(new RepositoryLocation.Gcs("b", "repo"), RepositoryLocation.parse("gs:b:repo"));
        assertEquals(new RepositoryLocation.Gcs("b", "p/q/s"), RepositoryLocation.parse("gs:b:/p//q/./r/../s"));
        assertEquals(new RepositoryLocation.Gcs("b", ""), RepositoryLocation.parse("gs:b:/../.."));
        assertEquals(new RepositoryLocation.Gcs("b", "a:b"), RepositoryLocation.parse("gs:b:/a:b"));
        for (String bad : new String[] {"gs:bucket", "gs:", "gs::/prefix"}) {
            StowageException e = assertThrows(StowageException.class, () -> RepositoryLocation.parse(bad), bad);
            assertEquals("invalid GCS repository \"" + bad + "\": expected gs:bucket:/[prefix]", e.getMessage());
        }
    }

    @Test
    void extendedOptionsOfTheLocationsTypeMustBeKnown() {
        RepositoryLocation gcs = RepositoryLocation.parse("gs:b:/p");
        Map<String, String> env = Map.of(GcsBackend.EMULATOR_HOST, "127.0.0.1:9");
        StowageException e = assertThrows(StowageException.class, () -> gcs.open(env, Map.of("gs.connectoins", "3")));
        assertEquals("option gs.connectoins is not known", e.getMessage());
        for (String bad : new String[] {"0", "-1", "many"}) {
            e = assertThrows(StowageException.class, () -> gcs.open(env, Map.of("gs.connections", bad)));
            assertEquals("invalid value \"" + bad + "\" for option gs.connections: expected a number above 0", e.getMessage());
        }
        RepositoryLocation s3 = RepositoryLocation.parse("s3:https://127.0.0.1:9/b/p");
        e = assertThrows(StowageException.class, () -> s3.open(Map.of(), Map.of("s3.connectoins", "3")));
        assertEquals("option s3.connectoins is not known", e.getMessage());
        for (String bad : new String[] {"0", "-1", "many", ""}) {
            e = assertThrows(StowageException.class, () -> s3.open(Map.of(), Map.of("s3.connections", bad)));
            assertEquals("invalid value \"" + bad + "\" for option s3.connections: expected a number above 0", e.getMessage());
        }
        e = assertThrows(StowageException.class, () -> gcs.open(env, Map.of("connections", "3")));
        assertEquals("invalid option \"connections\": expected TYPE.NAME=VALUE, e.g. gs.connections=10", e.getMessage());
        e = assertThrows(StowageException.class,
                () -> RepositoryLocation.parse("/srv/repo").open(Map.of(), Map.of("local.layout", "default")));
        assertEquals("option local.layout is not known", e.getMessage());
        e = assertThrows(StowageException.class,
                () -> RepositoryLocation.parse("/srv/repo").open(Map.of(), Map.of("local.direct-io", "no")));
        assertEquals("invalid value \"no\" for option local.direct-io: expected true or false", e.getMessage());
    }

    @Test
    void localDirectIoIsOnUnlessTheOptionTurnsItOff(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RepositoryLocation local = RepositoryLocation.parse(dir.toString());
        try (Backend b = local.open(Map.of(), Map.of("s3.connections", "x"))) {
            assertTrue(((LocalBackend) b).usesDirectIo());
        }
        try (Backend b = local.open(Map.of(), Map.of("local.direct-io", "false"))) {
            assertFalse(((LocalBackend) b).usesDirectIo());
        }
    }

    @Test
    void gcsConnectionsComeFromTheOptionAndOtherTypesOptionsAreIgnored() throws Exception {
        RepositoryLocation gcs = RepositoryLocation.parse("gs:b:/p");
        // the emulator variable keeps the client away from Google's credentials lookup; nothing is sent
        Map<String, String> env = Map.of(GcsBackend.EMULATOR_HOST, "127.0.0.1:9");
        try (Backend b = gcs.open(env, Map.of("gs.connections", "12", "s3.connections", "x"))) {
            assertEquals(12, b.connections());
            assertEquals("gs:b:/p", b.location());
        }
        try (Backend b = gcs.open(env)) {
            assertEquals(GcsBackend.DEFAULT_CONNECTIONS, b.connections());
        }
    }

    @Test
    void s3ConnectionsComeFromTheOptionAndOtherTypesOptionsAreIgnored() throws Exception {
        RepositoryLocation s3 = RepositoryLocation.parse("s3:https://127.0.0.1:9/b/p");
        // building the client sends nothing
        try (Backend b = s3.open(Map.of(), Map.of("s3.connections", "7", "gs.connections", "x"))) {
            assertEquals(7, b.connections());
            assertEquals("s3:https://127.0.0.1:9/b/p", b.location());
        }
        try (Backend b = s3.open(Map.of())) {
            assertEquals(S3Backend.DEFAULT_CONNECTIONS, b.connections());
        }
    }
}
