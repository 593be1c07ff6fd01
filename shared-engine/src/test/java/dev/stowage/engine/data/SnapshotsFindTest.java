package dev.stowage.engine.data;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.repository.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot selection (IDs, prefixes, latest with filters) on a repository written by the Archiver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotsFindTest {
    private Repository repo;
    private Path src1;
    private Path src2;
    private Snapshot s1;
    private Snapshot s2;
    private Snapshot s3;
    private Snapshot s4;

    private static OffsetDateTime day(int d) {
        return OffsetDateTime.of(2022, 1, d, 12, 0, 0, 0, ZoneOffset.UTC);
    }

    @BeforeAll
    void backups(@TempDir Path tmp) throws Exception {
        src1 = Files.createDirectories(tmp.resolve("src1"));
        src2 = Files.createDirectories(tmp.resolve("src2"));
        Files.writeString(src1.resolve("a.txt"), "alpha\n");
        Files.writeString(src2.resolve("b.txt"), "beta\n");
        repo = TestRepo.create(tmp.resolve("repo"));
        s1 = TestRepo.backup(repo, "hostA", List.of("daily"), day(1), src1);
        s2 = TestRepo.backup(repo, "hostA", List.of("daily", "db"), day(2), src1);
        s3 = TestRepo.backup(repo, "hostB", List.of("weekly"), day(3), src2);
        s4 = TestRepo.backup(repo, "hostB", List.of(), day(4), src2, src1);
    }

    @AfterAll
    void close() throws Exception {
        if (repo != null) {
            repo.close();
        }
    }

    private Snapshot latest(List<String> hosts, List<List<String>> tags, List<String> paths) throws Exception {
        return Snapshots.find(repo, "latest", new SnapshotFilter(hosts, tags, paths));
    }

    @Test
    void archiverRecordsHostTagsPathsTimeAndParent() throws Exception {
        assertEquals("hostA", s2.hostname());
        assertEquals(List.of("daily", "db"), s2.tags());
        assertEquals(List.of(src1.toString()), s2.paths());
        assertEquals(day(2), s2.time());
        assertEquals(s1.id(), s2.parent(), "same host and paths: the previous snapshot is the parent");
        assertNull(s3.parent());
        assertEquals(List.of(src1.toString(), src2.toString()), s4.paths(), "paths are sorted");
        assertEquals(List.of(s1, s2, s3, s4), Snapshots.loadAll(repo));
    }

    @Test
    void fullIdsAndUniquePrefixesResolve() throws Exception {
        for (Snapshot s : List.of(s1, s2, s3, s4)) {
            assertEquals(s, Snapshots.find(repo, s.id().hex(), SnapshotFilter.ALL));
            assertEquals(s, Snapshots.find(repo, s.id().shortHex(), SnapshotFilter.ALL));
            assertEquals(s, Snapshots.find(repo, s.id().shortHex().toUpperCase(Locale.ROOT), SnapshotFilter.ALL));
        }
    }

    @Test
    void ambiguousPrefixIsRefusedNamingIt() throws Exception {
        // add copies of s1 at other times until two snapshot IDs share their first hex digit
        Map<Character, Id> byFirst = new HashMap<>();
        String shared = null;
        for (Id id : repo.listIds(FileType.SNAPSHOT)) {
            if (byFirst.put(id.hex().charAt(0), id) != null) {
                shared = id.hex().substring(0, 1);
            }
        }
        for (int i = 0; shared == null; i++) {
            Id id = Snapshots.save(repo, new Snapshot(null, day(20).plusSeconds(i), null, s1.tree(), List.of("/extra"),
                    "hostC", "tester", 0, 0, null, null, null, null, null)).id();
            if (byFirst.put(id.hex().charAt(0), id) != null) {
                shared = id.hex().substring(0, 1);
            }
        }
        String prefix = shared;
        StowageException e = assertThrows(StowageException.class, () -> Snapshots.find(repo, prefix, SnapshotFilter.ALL));
        assertTrue(e.getMessage().contains("ambiguous") && e.getMessage().contains(prefix), e.getMessage());
    }

    @Test
    void unknownOrInvalidIdsAreNotFound() throws Exception {
        List<Id> ids = repo.listIds(FileType.SNAPSHOT);
        String unused = "0123456789abcdef".chars().mapToObj(c -> String.valueOf((char) c).repeat(5))
                .filter(p -> ids.stream().noneMatch(id -> id.hex().startsWith(p)))
                .findFirst().orElseThrow();
        SnapshotNotFoundException e = assertThrows(SnapshotNotFoundException.class, () -> Snapshots.find(repo, unused, SnapshotFilter.ALL));
        assertTrue(e.getMessage().contains(unused), e.getMessage());
        for (String bad : List.of("xyz", "", "12 4", "latestt")) {
            assertThrows(SnapshotNotFoundException.class, () -> Snapshots.find(repo, bad, SnapshotFilter.ALL), bad);
        }
    }

    @Test
    void latestWithoutFilterIsTheNewest() throws Exception {
        assertEquals(s4, latest(List.of(), List.of(), List.of()));
    }

    @Test
    void latestFilteredByHost() throws Exception {
        assertEquals(s2, latest(List.of("hostA"), List.of(), List.of()));
        assertEquals(s4, latest(List.of("hostB"), List.of(), List.of()));
        assertEquals(s4, latest(List.of("hostA", "hostB"), List.of(), List.of()), "several hosts: any of them");
        assertThrows(SnapshotNotFoundException.class, () -> latest(List.of("hostZ"), List.of(), List.of()));
    }

    @Test
    void latestFilteredByTags() throws Exception {
        assertEquals(s2, latest(List.of(), List.of(List.of("daily")), List.of()));
        assertEquals(s3, latest(List.of(), List.of(List.of("weekly")), List.of()));
        assertEquals(s2, latest(List.of(), List.of(List.of("daily", "db")), List.of()), "a group needs all its tags");
        assertThrows(SnapshotNotFoundException.class, () -> latest(List.of(), List.of(List.of("daily", "weekly")), List.of()));
        assertEquals(s3, latest(List.of(), List.of(List.of("nope"), List.of("weekly")), List.of()), "groups are alternatives");
        assertEquals(s3, latest(List.of(), List.of(List.of("weekly"), List.of("daily")), List.of()), "the newest of either");
        assertEquals(s2, latest(List.of(), List.of(List.of("db"), List.of("nope")), List.of()));
    }

    @Test
    void latestFilteredByPaths() throws Exception {
        assertEquals(s4, latest(List.of(), List.of(), List.of(src1.toString())));
        assertEquals(s4, latest(List.of(), List.of(), List.of(src1.toString(), src2.toString())), "all paths must be present");
        assertEquals(s2, latest(List.of("hostA"), List.of(), List.of(src1.toString())));
        assertThrows(SnapshotNotFoundException.class, () -> latest(List.of("hostA"), List.of(), List.of(src2.toString())));
        SnapshotNotFoundException e = assertThrows(SnapshotNotFoundException.class,
                () -> latest(List.of(), List.of(), List.of("/no/such/path")));
        assertTrue(e.getMessage().contains("filter"), e.getMessage());
    }

    @Test
    void latestOnAListIsPureAndHandlesEmptyInput() {
        assertTrue(Snapshots.latest(List.of(), SnapshotFilter.ALL).isEmpty());
        assertEquals(s3, Snapshots.latest(List.of(s3, s1), SnapshotFilter.ALL).orElseThrow());
    }
}
