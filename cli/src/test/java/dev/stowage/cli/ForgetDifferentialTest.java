package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forget --dry-run --json} against restic 0.14 on a repository restic wrote: 40 snapshots
 * over three years, two hosts, two path sets, several tags, same-day and same-hour clusters, a
 * year and an ISO-week boundary. Every group must keep and remove the same snapshots for the same
 * reasons, with the same counters.
 */
class ForgetDifferentialTest {
    @TempDir
    static Path tmp;

    private static Path repo;
    private static Path dirA;
    private static Path dirB;

    /** time, host, directory (a, b or ab), tags (comma-separated, may be empty). */
    private static final String[][] SNAPSHOTS = {
        {"2020-03-14 09:00:00", "h1", "a", "weekly"},
        {"2020-06-30 23:59:00", "h1", "a", ""},
        {"2020-11-02 08:00:00", "h2", "b", "special"},
        {"2020-12-28 12:00:00", "h1", "a", "weekly"},
        {"2020-12-31 23:30:00", "h1", "a", ""},
        {"2021-01-01 00:10:00", "h1", "a", ""},
        {"2021-01-03 18:00:00", "h1", "a", "weekly,extra"},
        {"2021-01-04 07:00:00", "h1", "a", ""},
        {"2021-01-04 07:20:00", "h1", "a", ""},
        {"2021-01-04 07:40:00", "h1", "a", "special"},
        {"2021-01-04 21:00:00", "h2", "b", ""},
        {"2021-02-28 12:00:00", "h2", "b", "weekly"},
        {"2021-03-31 12:00:00", "h1", "ab", ""},
        {"2021-05-15 10:00:00", "h1", "a", ""},
        {"2021-07-04 10:00:00", "h2", "b", "weekly,extra"},
        {"2021-09-09 09:09:00", "h1", "ab", "special"},
        {"2021-12-31 23:59:00", "h2", "b", ""},
        {"2022-01-01 00:01:00", "h2", "b", ""},
        {"2022-01-02 12:00:00", "h1", "a", "weekly"},
        {"2022-02-01 01:00:00", "h1", "a", ""},
        {"2022-02-01 02:00:00", "h1", "a", ""},
        {"2022-02-01 02:30:00", "h1", "a", ""},
        {"2022-02-01 23:00:00", "h1", "a", "special"},
        {"2022-02-02 00:30:00", "h1", "a", ""},
        {"2022-04-18 15:00:00", "h2", "b", "weekly"},
        {"2022-06-30 12:00:00", "h1", "ab", ""},
        {"2022-08-31 12:00:00", "h1", "a", ""},
        {"2022-09-30 12:00:00", "h1", "a", "weekly"},
        {"2022-10-01 12:00:00", "h1", "a", ""},
        {"2022-11-15 08:00:00", "h2", "b", ""},
        {"2022-12-01 09:00:00", "h1", "a", ""},
        {"2022-12-24 09:00:00", "h1", "a", "special"},
        {"2022-12-31 22:00:00", "h1", "a", ""},
        {"2023-01-01 01:00:00", "h1", "a", "weekly"},
        {"2023-01-01 01:15:00", "h1", "a", ""},
        {"2023-01-01 01:45:00", "h2", "b", ""},
        {"2023-01-15 10:00:00", "h2", "b", "weekly"},
        {"2023-02-28 12:00:00", "h1", "a", ""},
        {"2023-03-01 11:00:00", "h1", "a", ""},
        {"2023-03-31 12:00:00", "h1", "a", "weekly,extra"},
    };

    @BeforeAll
    static void repositoryWrittenByRestic() throws Exception {
        repo = tmp.resolve("repo");
        dirA = tmp.resolve("a");
        dirB = tmp.resolve("b");
        Cli.write(dirA.resolve("f"), "alpha\n");
        Cli.write(dirB.resolve("g"), "beta\n");
        Restic.run(repo, tmp, "init");
        for (String[] s : SNAPSHOTS) {
            List<String> args = new ArrayList<>(List.of("backup", "-q", "--time", s[0], "--host", s[1]));
            if (!s[3].isEmpty()) {
                args.addAll(List.of("--tag", s[3]));
            }
            if (s[2].contains("a")) {
                args.add(dirA.toString());
            }
            if (s[2].contains("b")) {
                args.add(dirB.toString());
            }
            Restic.run(repo, tmp, args.toArray(String[]::new));
        }
    }

    static Stream<String> policies() {
        return Stream.of(
                "-l 5",
                "-H 4",
                "-d 7",
                "-w 6",
                "-m 8",
                "-y 3",
                "-l 2 -d 3 -w 2 -m 3 -y 2",
                "--keep-within 1m",
                "--keep-within 1y2m3d4h",
                "--keep-within 13m",
                "--keep-within-daily 10d --keep-within-weekly 2m --keep-within-monthly 1y",
                "--keep-within-hourly 2d --keep-within-yearly 5y",
                "--keep-tag special --keep-tag weekly,extra -l 1",
                "--keep-tag= -w 1",
                "--group-by= -d 5 -w 2",
                "-g tags -m 2",
                "-g host,paths,tags -l 1 -w 1",
                "-g host -y 1 -H 2",
                "--host h1 --tag weekly -d 3",
                "--tag special --tag weekly,extra -l 1",
                "--path DIR_B -m 2",
                "");
    }

    @ParameterizedTest(name = "forget {0}")
    @MethodSource("policies")
    void sameGroupsKeptRemovedAndReasonsAsRestic(String policy) throws Exception {
        List<String> args = new ArrayList<>(List.of("forget", "--dry-run", "--json"));
        for (String a : policy.split(" ")) {
            if (!a.isEmpty()) {
                args.add(a.replace("DIR_B", dirB.toString()));
            }
        }
        String theirs = Restic.run(repo, tmp, args.toArray(String[]::new));
        Cli.Run ours = Cli.forRepository(repo).ok(args.toArray(String[]::new));
        if (theirs.isBlank()) { // empty policy: restic 0.14 prints nothing and keeps everything
            assertEquals("", ours.out());
            return;
        }
        Map<String, String> expected = canonical(theirs);
        assertFalse(expected.isEmpty());
        assertEquals(expected, canonical(ours.out()));
        assertEquals("", ours.err());
    }

    /** Group key → kept IDs with reasons and counters (in order) and removed IDs (in order). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> canonical(String json) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> g : Json.arrayOfObjects(json)) {
            String key = "tags=" + g.get("tags") + " host=" + g.get("host") + " paths=" + g.get("paths");
            StringBuilder sb = new StringBuilder();
            List<Map<String, Object>> keep = (List<Map<String, Object>>) g.get("keep");
            List<Map<String, Object>> reasons = (List<Map<String, Object>>) g.get("reasons");
            List<Map<String, Object>> remove = (List<Map<String, Object>>) g.get("remove");
            if (keep != null) {
                for (int i = 0; i < keep.size(); i++) {
                    Map<String, Object> r = reasons.get(i);
                    Map<String, Object> rs = (Map<String, Object>) r.get("snapshot");
                    assertEquals(keep.get(i).get("time"), rs.get("time"), "reasons follow the kept snapshots");
                    sb.append("keep ").append(keep.get(i).get("short_id")).append(' ').append(r.get("matches"))
                            .append(' ').append(r.get("counters")).append('\n');
                }
            }
            if (remove != null) {
                remove.forEach(s -> sb.append("remove ").append(s.get("short_id")).append('\n'));
            }
            out.put(key, sb.toString());
        }
        return out;
    }
}
