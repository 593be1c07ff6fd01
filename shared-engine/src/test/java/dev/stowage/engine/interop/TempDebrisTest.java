package dev.stowage.engine.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.backend.TempFile;
import dev.stowage.engine.checker.CheckResult;
import dev.stowage.engine.checker.Checker;
import dev.stowage.engine.checker.Finding;
import dev.stowage.engine.checker.ReadDataSubset;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.prune.Prune;
import dev.stowage.engine.prune.PruneOptions;
import dev.stowage.engine.prune.PruneStats;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files left by killed writers (ours and restic's naming): restic 0.14 and our check
 * accept the repository, check warns about each, and prune removes the old ones but not a fresh
 * one a concurrent writer may still be filling, nor files that are not temporary by name.
 */
class TempDebrisTest {
    @TempDir
    Path tmp;

    private Path repo;
    private final List<String> oldDebris = new ArrayList<>();
    private final List<String> freshDebris = new ArrayList<>();
    private long oldBytes;

    private void debris(String path, int size, Duration age, List<String> into) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, TestData.random(path.hashCode(), size));
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        into.add(path);
    }

    @Test
    void checkWarnsAndPruneRemovesOnlyOldTemporaryFiles() throws Exception {
        repo = tmp.resolve("repo");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("data.bin"), TestData.random(7, 300_000));
        try (StowageRepo s = StowageRepo.init(repo, 2, Compression.AUTO)) {
            s.backup(StowageRepo.options(), src);
        }
        String id = Id.hash(new byte[] {1}).hex();
        // what a killed backup leaves: ours (a pending pack), restic's or ours from a save, in every directory
        debris("data/3f/tmp-1x2y3z", 1 << 20, Duration.ofHours(2), oldDebris);
        debris("data/" + id.substring(0, 2) + "/" + id + "-tmp-4182391", 70_000, Duration.ofMinutes(31), oldDebris);
        debris("index/" + id + "-tmp-8h2k", 900, Duration.ofDays(3), oldDebris);
        debris("snapshots/" + id + "-tmp-55", 300, Duration.ofHours(1), oldDebris);
        debris("config-tmp-q1", 200, Duration.ofHours(5), oldDebris);
        oldBytes = (1 << 20) + 70_000 + 900 + 300 + 200;
        // a writer that is at it right now: a pack being filled, a lock being written
        debris("data/a0/tmp-fresh9", 4096, Duration.ofMinutes(1), freshDebris);
        debris("locks/" + id + "-tmp-77", 200, Duration.ZERO, freshDebris);
        // not temporary by name: never touched
        debris("data/3f/notes.txt", 10, Duration.ofDays(30), new ArrayList<>());
        debris("tmp-but-at-the-top-level-with-dashes", 10, Duration.ofDays(30), new ArrayList<>());
        List<String> all = new ArrayList<>(oldDebris);
        all.addAll(freshDebris);
        all.sort(null);

        // restic ignores them all, without a word
        new Restic(repo, StowageRepo.PASSWORD).checkReadData();

        try (Repository r = Repository.open(new LocalBackend(repo), StowageRepo.PASSWORD, RepositoryOptions.defaults());
             LockHandle lock = new Locker(r, Identity.current()).lock(true)) {
            assertEquals(all, r.backend().listTemporary().stream().map(TempFile::path).toList());
            CheckResult check = new Checker(r).check(new ReadDataSubset.All(), step -> { });
            assertFalse(check.hasErrors(), check.findings()::toString);
            assertEquals(all, check.warnings().stream().map(Finding::file).sorted().toList());
            assertTrue(check.warnings().stream().allMatch(w -> w.message().startsWith("leftover temporary file")
                    && w.toString().startsWith("warning: ")), check.warnings()::toString);

            TreeMap<String, Long> before = files();
            PruneStats dry = new Prune(r, line -> { }).run(PruneOptions.defaults().withDryRun(true));
            assertEquals(oldDebris.size(), dry.tempFiles());
            assertEquals(oldBytes, dry.tempBytes());
            assertEquals(before, files(), "a dry run removes nothing");

            List<String> log = new ArrayList<>();
            PruneStats done = new Prune(r, log::add).run(PruneOptions.defaults());
            assertEquals(oldDebris.size(), done.tempFiles());
            assertEquals(oldBytes, done.tempBytes());
            assertTrue(log.contains("removing " + oldDebris.size() + " leftover temporary files"), log::toString);
        }
        TreeMap<String, Long> after = files();
        for (String p : oldDebris) {
            assertFalse(after.containsKey(p), p + " was not removed");
        }
        for (String p : freshDebris) {
            assertTrue(after.containsKey(p), p + " of a possibly live writer was removed");
        }
        assertTrue(after.containsKey("data/3f/notes.txt") && after.containsKey("tmp-but-at-the-top-level-with-dashes"));
        new Restic(repo, StowageRepo.PASSWORD).checkReadData();
        try (StowageRepo s = StowageRepo.open(repo, StowageRepo.PASSWORD)) {
            Path target = tmp.resolve("restored");
            s.restore(s.snapshots().get(0), target);
            FsTree.assertSame(src, target.resolve(src.toString().substring(1)));
        }
    }

    private TreeMap<String, Long> files() throws IOException {
        try (Stream<Path> s = Files.walk(repo)) {
            TreeMap<String, Long> out = new TreeMap<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(repo.relativize(p).toString(), Files.size(p));
            }
            return out;
        }
    }
}
