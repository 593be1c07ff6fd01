package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} output parses as restic's does: checked against restic 0.14's own output on the
 * same repository, holding snapshots written by both programs.
 */
class JsonOutputTest {
    /** The fields both programs print for a snapshot; restic leaves out empty tags. */
    private static final List<String> COMMON = List.of("time", "tree", "paths", "hostname", "username", "tags", "id",
            "short_id");

    @TempDir
    static Path tmp;

    private static Path repo;
    private static Cli cli;
    private static Cli.Run firstBackup;

    @BeforeAll
    static void repositoryWithSnapshotsOfBothPrograms() throws Exception {
        repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "alpha\n");
        Cli.write(src.resolve("empty"), "");
        Cli.write(src.resolve("sub/b.txt"), "beta\n");
        Files.createSymbolicLink(src.resolve("link"), Path.of("sub/b.txt"));
        cli = Cli.forRepository(repo);
        cli.ok("init");
        firstBackup = cli.ok("backup", "--json", "--tag", "a,b", "--host", "h1", src.toString());
        cli.ok("backup", "-q", "--tag", "c", src.resolve("sub").toString(), src.resolve("a.txt").toString());
        Restic.run(repo, tmp, "backup", "-q", "--tag", "from-restic", "--host", "h2", src.toString());
    }

    @Test
    void backupJsonPrintsOneSummaryLine() {
        List<String> lines = firstBackup.outLines();
        assertEquals(1, lines.size(), firstBackup.out());
        Map<String, Object> summary = Json.object(lines.get(0));
        assertEquals("summary", summary.get("message_type"));
        String id = (String) summary.get("snapshot_id");
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertTrue(Files.isRegularFile(repo.resolve("snapshots").resolve(id)), "snapshot " + id + " is in the repository");
        assertEquals(3L, summary.get("files_new"));
        assertEquals(3L, summary.get("total_files_processed"));
        assertEquals(11L, summary.get("total_bytes_processed"));
        for (String key : List.of("files_changed", "files_unmodified", "dirs_new", "data_blobs", "tree_blobs",
                "data_added", "total_duration", "backup_start", "backup_end")) {
            assertNotNull(summary.get(key), key);
        }
        assertEquals("", firstBackup.err());
    }

    @Test
    void snapshotsJsonMatchesRestic() throws Exception {
        List<Map<String, Object>> ours = Json.arrayOfObjects(cli.ok("snapshots", "--json").out());
        List<Map<String, Object>> restics = Json.arrayOfObjects(Restic.run(repo, tmp, "snapshots", "--json"));
        assertEquals(3, restics.size());
        assertEquals(restics.size(), ours.size());
        Map<Object, Map<String, Object>> byId = ours.stream()
                .collect(Collectors.toMap(s -> s.get("id"), Function.identity()));
        for (Map<String, Object> theirs : restics) {
            Map<String, Object> mine = byId.get(theirs.get("id"));
            assertNotNull(mine, "restic's snapshot " + theirs.get("id") + " is listed");
            for (String key : COMMON) {
                assertEquals(theirs.containsKey(key), mine.containsKey(key), key + " present in both or neither");
            }
            // every field restic prints is printed the same way (ours may add program_version and summary)
            for (String key : theirs.keySet()) {
                assertEquals(theirs.get(key), mine.get(key), key + " of snapshot " + theirs.get("short_id"));
            }
        }
        assertEquals(Set.of(List.of("a", "b"), List.of("c"), List.of("from-restic")),
                ours.stream().map(s -> s.get("tags")).collect(Collectors.toSet()));
    }

    @Test
    void snapshotFiltersSelectWhatResticSelects() throws Exception {
        Path src = tmp.resolve("src");
        List<List<String>> filters = List.of(List.of("--host", "h1"), List.of("--tag", "a,b"), List.of("--tag", "a,c"),
                List.of("--tag", "a", "--tag", "c"), List.of("--path", src.toString()));
        List<Integer> expectedCounts = List.of(1, 1, 0, 2, 2);
        for (int i = 0; i < filters.size(); i++) {
            List<String> filter = filters.get(i);
            List<String> args = new java.util.ArrayList<>(List.of("snapshots", "--json"));
            args.addAll(filter);
            Set<Object> ours = Json.arrayOfObjects(cli.ok(args.toArray(String[]::new)).out()).stream()
                    .map(s -> s.get("id")).collect(Collectors.toSet());
            Set<Object> restics = Json.arrayOfObjects(Restic.run(repo, tmp, args.toArray(String[]::new))).stream()
                    .map(s -> s.get("id")).collect(Collectors.toSet());
            assertEquals(restics, ours, String.join(" ", filter));
            assertEquals(expectedCounts.get(i), ours.size(), String.join(" ", filter));
        }
    }

    @Test
    void catConfigMatchesRestic() throws Exception {
        assertEquals(Json.object(Restic.run(repo, tmp, "cat", "config")), Json.object(cli.ok("cat", "config").out()));
    }

    @Test
    void lsJsonMatchesRestic() throws Exception {
        for (Map<String, Object> snapshot : Json.arrayOfObjects(cli.ok("snapshots", "--json").out())) {
            String id = (String) snapshot.get("short_id");
            List<String> ours = cli.ok("ls", "--json", id).outLines();
            List<String> restics = Restic.run(repo, tmp, "ls", "--json", id).lines().toList();
            assertEquals(restics.size(), ours.size(), "lines of ls --json " + id);
            Map<String, Object> head = Json.object(ours.get(0));
            assertEquals("snapshot", head.get("struct_type"));
            assertEquals(snapshot.get("id"), head.get("id"));
            Map<String, Object> theirHead = Json.object(restics.get(0));
            for (String key : theirHead.keySet()) {
                assertEquals(theirHead.get(key), head.get(key), key + " of the snapshot line of " + id);
            }
            for (int i = 1; i < ours.size(); i++) {
                Map<String, Object> node = Json.object(ours.get(i));
                assertEquals("node", node.get("struct_type"), ours.get(i));
                assertEquals(Json.object(restics.get(i)), node, "node line " + i + " of " + id);
            }
        }
    }
}
