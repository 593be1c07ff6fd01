package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forget} removes snapshot files (and only with a policy or IDs), leaving a repository restic checks clean. */
class ForgetCommandTest {
    @TempDir
    Path tmp;

    private Path repo;
    private Cli cli;

    @BeforeEach
    void fourSnapshots() {
        repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "alpha\n");
        cli = Cli.forRepository(repo);
        cli.ok("init");
        for (String time : List.of("2022-01-01 10:00:00", "2022-01-01 11:00:00", "2022-01-02 10:00:00",
                "2022-02-01 10:00:00")) {
            cli.ok("backup", "-q", "--time", time, "--tag", time.startsWith("2022-01-01 10") ? "keep" : "x",
                    src.toString());
        }
    }

    private Set<String> snapshotFiles() throws IOException {
        try (Stream<Path> s = Files.list(repo.resolve("snapshots"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private List<String> locks() throws IOException {
        try (Stream<Path> s = Files.list(repo.resolve("locks"))) {
            return s.map(Path::toString).toList();
        }
    }

    @Test
    void dryRunRemovesNothing() throws Exception {
        Set<String> before = snapshotFiles();
        Cli.Run r = cli.ok("forget", "--dry-run", "-l", "1");
        assertTrue(r.out().contains("Would have removed the following snapshots:"), r.out());
        assertTrue(r.out().contains("remove 3 snapshots:"), r.out());
        assertEquals(before, snapshotFiles());
        cli.ok("forget", "-n", "--json", "-l", "1");
        assertEquals(before, snapshotFiles());
        cli.ok("forget", "-n", snapshotFiles().iterator().next());
        assertEquals(before, snapshotFiles());
        assertEquals(List.of(), locks());
    }

    @Test
    void policyRemovesSnapshotFilesAndResticChecksTheRepository() throws Exception {
        Cli.Run r = cli.ok("forget", "-d", "1", "--keep-tag", "keep");
        assertTrue(r.out().startsWith("Applying Policy: keep 1 daily snapshots and all snapshots with tags [[keep]]\n"), r.out());
        assertTrue(r.out().contains("removed 2 snapshots"), r.out());
        List<Map<String, Object>> left = Json.arrayOfObjects(cli.ok("snapshots", "--json").out());
        assertEquals(Set.of("2022-01-01T10:00:00Z", "2022-02-01T10:00:00Z"),
                left.stream().map(s -> ((String) s.get("time")).replaceAll("[+-]\\d\\d:\\d\\d$", "Z")).collect(Collectors.toSet()));
        assertEquals(2, snapshotFiles().size());
        assertEquals(List.of(), locks());
        Restic.run(repo, tmp, "check");
        assertEquals(2, Json.arrayOfObjects(Restic.run(repo, tmp, "snapshots", "--json")).size());
    }

    @Test
    void explicitIdsRemoveJustThoseSnapshots() throws Exception {
        List<String> ids = snapshotFiles().stream().sorted().toList();
        Cli.Run r = cli.ok("forget", ids.get(0).substring(0, 8), ids.get(2));
        assertEquals("removed snapshot " + ids.get(0).substring(0, 8) + "\nremoved snapshot " + ids.get(2).substring(0, 8) + "\n",
                r.out());
        assertEquals(Set.of(ids.get(1), ids.get(3)), snapshotFiles());
        Restic.run(repo, tmp, "check");
    }

    @Test
    void emptyPolicyKeepsEverythingAsRestic014() throws Exception {
        Set<String> before = snapshotFiles();
        assertEquals("no policy was specified, no snapshots will be removed\n", cli.ok("forget").out());
        assertEquals(before, snapshotFiles());
    }

    @Test
    void forgetWithPruneRemovesSnapshotsAndThenPrunes() throws Exception {
        Cli.write(tmp.resolve("src").resolve("b.txt"), "only in the newest snapshot\n");
        cli.ok("backup", "-q", "--time", "2022-03-01 10:00:00", tmp.resolve("src").toString());
        Cli.Run bad = cli.run("forget", "--prune", "--max-unused", "lots", "-l", "1");
        bad.assertExit(1);
        assertTrue(bad.err().contains("invalid --max-unused"), bad.err());
        assertEquals(5, snapshotFiles().size());
        Cli.Run dry = cli.ok("forget", "--prune", "-n", snapshotFiles().iterator().next());
        assertFalse(dry.out().contains("running prune"), dry.out());
        assertEquals(5, snapshotFiles().size());
        Cli.Run r = cli.ok("forget", "--prune", "--max-unused", "0", "-l", "1");
        assertTrue(r.out().contains("removed 4 snapshots\n4 snapshots have been removed, running prune\n"), r.out());
        assertTrue(r.out().contains("to delete:"), r.out());
        assertTrue(r.out().endsWith("done\n"), r.out());
        assertEquals(1, snapshotFiles().size());
        assertEquals(List.of(), locks());
        Restic.run(repo, tmp, "check", "--read-data");
    }

    @Test
    void forgetNeedsAnExclusiveLock() throws Exception {
        Process holder = new ProcessBuilder("sh", "-c", "sleep 30 | RESTIC_PASSWORD='" + Cli.PASSWORD
                + "' /usr/bin/restic --no-cache -r " + repo + " backup -q --stdin")
                .redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && locks().isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertEquals(1, locks().size(), "restic holds a shared lock");
            Set<String> before = snapshotFiles();
            Cli.Run r = cli.run("forget", "-l", "1");
            r.assertExit(StowageCommand.EXIT_LOCKED);
            assertEquals(before, snapshotFiles());
        } finally {
            holder.descendants().forEach(ProcessHandle::destroy);
            holder.destroy();
            holder.waitFor();
        }
    }
}
