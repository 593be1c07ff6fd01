package dev.stowage.engine.interop;

import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.data.SnapshotSummary;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.restorer.Dumper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups with a parent: an unchanged tree reuses everything; a changed file adds only its data.
 * restic still finds the repository consistent and restores the incremental snapshot exactly, and
 * each tool takes the other's latest snapshot as parent without reading any file again.
 */
class IncrementalBackupTest {
    @Test
    void backupsWithAParentReuseUnchangedFiles(@TempDir Path srcDir, @TempDir Path tmp) throws IOException {
        Path source = SourceTree.create(srcDir.resolve("src"));
        long files = FsTree.scan(source).entries().values().stream().filter(e -> e.type().equals("file")).count();
        Path repoDir = tmp.resolve("repo");
        BackupResult first;
        BackupResult second;
        BackupResult third;
        try (StowageRepo s = StowageRepo.init(repoDir, 2, Compression.AUTO)) {
            first = s.backup(StowageRepo.options(), source);
            assertNull(first.snapshot().parent());
            assertEquals(files, first.summary().filesNew());

            second = s.backup(StowageRepo.options(), source);
            assertEquals(first.snapshot().id(), second.snapshot().parent(), "the parent is the previous snapshot");
            SnapshotSummary sum = second.summary();
            assertEquals(0, sum.filesNew(), "new files");
            assertEquals(0, sum.filesChanged(), "changed files");
            assertEquals(files, sum.filesUnmodified(), "unmodified files");
            assertEquals(0, sum.dirsNew(), "new directories");
            assertEquals(0, sum.dataBlobs(), "data blobs added");
            // the source's tree is reused as a whole; its ancestors (/tmp) may change meanwhile
            assertEquals(subtree(s, first, source), subtree(s, second, source), "the tree of " + source);
            assertEquals(first.summary().totalBytesProcessed(), sum.totalBytesProcessed());

            Path changed = source.resolve("dir/nested/deeper/leaf.txt");
            Files.write(changed, "a changed leaf\n".getBytes(StandardCharsets.UTF_8));
            third = s.backup(StowageRepo.options(), source);
            assertEquals(second.snapshot().id(), third.snapshot().parent());
            assertEquals(1, third.summary().filesChanged(), "changed files");
            assertEquals(files - 1, third.summary().filesUnmodified(), "unmodified files");
            assertEquals(1, third.summary().dataBlobs(), "data blobs added");
            assertNotEquals(subtree(s, second, source), subtree(s, third, source));
        }

        Restic restic = new Restic(repoDir, StowageRepo.PASSWORD);
        restic.checkReadData();
        List<Object> snaps = Json.array(Json.parse(restic.ok("snapshots", "--json").out()));
        assertEquals(3, snaps.size());
        for (Object o : snaps) {
            Map<String, Object> m = Json.object(o);
            if (m.get("id").equals(second.snapshot().id().hex())) {
                assertEquals(first.snapshot().id().hex(), m.get("parent"));
            } else if (m.get("id").equals(third.snapshot().id().hex())) {
                assertEquals(second.snapshot().id().hex(), m.get("parent"));
            } else {
                assertTrue(m.get("id").equals(first.snapshot().id().hex()) && !m.containsKey("parent"), m::toString);
            }
        }
        Path target = tmp.resolve("restored");
        restic.ok("restore", third.snapshot().id().hex(), "--target", target.toString());
        FsTree.assertSame(source, target.resolve(source.toString().substring(1)));

        // each tool trusts the other's snapshot as parent: nothing is read again
        Restic.Result rb = restic.ok("backup", "--json", "--host", StowageRepo.HOST, source.toString());
        List<Map<String, Object>> messages = Json.lines(rb.out());
        Map<String, Object> summary = messages.get(messages.size() - 1);
        assertEquals(files, summary.get("files_unmodified"), rb::describe);
        assertEquals(0L, summary.get("files_new"), rb::describe);
        assertEquals(0L, summary.get("files_changed"), rb::describe);
        assertEquals(0L, summary.get("data_blobs"), rb::describe);
        try (StowageRepo s = StowageRepo.open(repoDir, StowageRepo.PASSWORD)) {
            BackupResult fourth = s.backup(StowageRepo.options(), source);
            assertEquals(summary.get("snapshot_id"), fourth.snapshot().parent().shortHex(), "restic's snapshot is the parent");
            assertEquals(files, fourth.summary().filesUnmodified(), "unmodified files after restic's backup");
            assertEquals(0, fourth.summary().dataBlobs());
        }
        restic.checkReadData();
    }

    private static Id subtree(StowageRepo s, BackupResult r, Path dir) throws IOException {
        return new Dumper(s.repository()).find(r.snapshot(), dir.toString()).subtree();
    }
}
