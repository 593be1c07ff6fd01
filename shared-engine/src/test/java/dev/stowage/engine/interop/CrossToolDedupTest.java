package dev.stowage.engine.interop;

import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.restorer.Dumper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both tools chunk a file identically with the repository's chunker polynomial, so whichever
 * backs it up second stores no new data blobs.
 */
class CrossToolDedupTest {
    private static final String PASSWORD = "dedup-pw";

    @TempDir
    static Path shared;
    /** 12 MiB: random (several content-defined chunks), zeros (no cut points: merged into maximal chunks), text. */
    static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = shared.resolve("data/mixed.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, TestData.mixed(23, 6 << 20, 2 << 20, 4 << 20));
    }

    @ParameterizedTest
    @EnumSource(value = RepoVariant.class, names = {"V2_COMPRESSION_AUTO", "V1"})
    void stowageStoresNoDataResticAlreadyHas(RepoVariant variant, @TempDir Path tmp) throws IOException {
        Path repoDir = tmp.resolve("repo");
        Restic restic = new Restic(repoDir, PASSWORD);
        restic.ok("init", "--repository-version", Integer.toString(variant.version));
        restic.ok("backup", "--host", "restic-host", file.toString());

        try (StowageRepo s = StowageRepo.open(repoDir, PASSWORD)) {
            Set<Id> before = s.dataBlobIds();
            // the polynomial is random; only the 2 MiB run of zeros is certain to be cut every 512 KiB
            assertTrue(before.size() >= 4, "the file should span several chunks, got " + before.size());
            BackupResult r = s.backup(StowageRepo.options(), file);
            assertEquals(0, r.summary().dataBlobs(), "data blobs Stowage added");
            assertEquals(before, s.dataBlobIds(), "data blobs in the index");
            assertEquals(Files.size(file), r.summary().totalBytesProcessed());

            Snapshot theirs = s.snapshots().stream().filter(x -> x.hostname().equals("restic-host")).findFirst().orElseThrow();
            Dumper d = new Dumper(s.repository());
            Node their = d.find(theirs, file.toString());
            Node our = d.find(r.snapshot(), file.toString());
            assertEquals(their.content(), our.content(), "both tools cut the file into the same chunks");
            assertEquals(their.size(), our.size());
            // the directory holding the file encodes identically, so even its tree blob is shared
            String dir = file.getParent().toString();
            assertEquals(d.find(theirs, dir).subtree(), d.find(r.snapshot(), dir).subtree(), "tree of " + dir);
        }
        restic.checkReadData();
    }

    @ParameterizedTest
    @EnumSource(value = RepoVariant.class, names = {"V2_COMPRESSION_AUTO", "V1"})
    void resticStoresNoDataStowageAlreadyHas(RepoVariant variant, @TempDir Path tmp) throws IOException {
        Path repoDir = tmp.resolve("repo");
        Set<Id> before;
        try (StowageRepo s = StowageRepo.init(repoDir, variant.version, variant.compression)) {
            BackupResult r = s.backup(StowageRepo.options(), file);
            // 12 MiB with chunks of 512 KiB to 8 MiB (average 1 MiB, random polynomial): at least 2, usually ~8
            assertTrue(r.summary().dataBlobs() >= 3, "the file should span several chunks");
            before = s.dataBlobIds();
        }
        Restic restic = new Restic(repoDir, StowageRepo.PASSWORD);
        Restic.Result backup = restic.ok("backup", "--json", "--host", "restic-host", file.toString());
        List<Map<String, Object>> messages = Json.lines(backup.out());
        Map<String, Object> summary = messages.get(messages.size() - 1);
        assertEquals("summary", summary.get("message_type"), backup::describe);
        assertEquals(0L, summary.get("data_blobs"), backup::describe);
        assertEquals(1L, summary.get("files_new"), backup::describe);

        try (StowageRepo s = StowageRepo.open(repoDir, StowageRepo.PASSWORD)) {
            assertEquals(before, s.dataBlobIds(), "data blobs in the index after restic's backup");
        }
        restic.checkReadData();
    }
}
