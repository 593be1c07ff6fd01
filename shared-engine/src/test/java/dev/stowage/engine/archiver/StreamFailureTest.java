package dev.stowage.engine.archiver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import dev.stowage.engine.restorer.Dumper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream backup whose source fails part-way (a dump process that dies) must not become a
 * snapshot, must leave the repository valid for restic, and must not get in the way of the next
 * backup. This is the guarantee the PostgreSQL function relies on.
 */
class StreamFailureTest {
    private static final Identity WHO = new Identity("tester", "testhost", ProcessHandle.current().pid());

    @TempDir
    Path tmp;

    @Test
    void aStreamThatFailsMidwayLeavesNoSnapshot() throws Exception {
        Path repoDir = tmp.resolve("repo");
        byte[] data = new byte[12 << 20];
        new Random(7).nextBytes(data);
        try (Repository repo = Repository.init(new LocalBackend(repoDir), "pw", 2, new ScryptParams(1024, 8, 1), WHO,
                RepositoryOptions.defaults())) {
            Archiver archiver = new Archiver(repo, BackupOptions.defaults("db-host"), new BackupProgress(false), WHO);
            IOException e = assertThrows(IOException.class,
                    () -> archiver.backupStream(failingAfter(data, 9 << 20), "db.sql"));
            assertTrue(e.getMessage().contains("connection to pg_dump lost"), e.getMessage());
            assertEquals(List.of(), repo.listIds(FileType.SNAPSHOT), "no snapshot from a failed stream");
            try (Stream<Path> files = Files.walk(repoDir.resolve("data"))) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("tmp-")),
                        "no half-written pack file left behind");
            }

            // the next backup of the complete stream works and reads back exactly
            BackupResult ok = archiver.backupStream(new ByteArrayInputStream(data), "db.sql");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Dumper(repo).dump(Snapshots.find(repo, ok.snapshot().id().hex(), dev.stowage.engine.data.SnapshotFilter.ALL),
                    "/db.sql", out);
            assertArrayEquals(data, out.toByteArray());
        }
        assertResticChecksClean(repoDir);
    }

    /** Yields the first {@code limit} bytes of {@code data}, then fails like a broken pipe. */
    private static InputStream failingAfter(byte[] data, int limit) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= limit) {
                    throw new IOException("connection to pg_dump lost");
                }
                int n = Math.min(len, limit - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static void assertResticChecksClean(Path repoDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("restic", "--no-cache", "-r", repoDir.toString(), "check", "--read-data")
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("RESTIC_PASSWORD", "pw"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("no errors were found"), out);
    }
}
