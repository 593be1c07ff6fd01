package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stowage.engine.StowageException;
import java.net.URI;
import java.nio.file.Path;
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
        assertEquals("repository type \"sftp\" is not supported by this build; use a local path, local:PATH or s3:...",
                e.getMessage());
    }
}
