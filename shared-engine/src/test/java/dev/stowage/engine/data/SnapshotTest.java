package dev.stowage.engine.data;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.json.JsonWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot documents: restic's field order and omit rules (restic-format.md §6.1). */
class SnapshotTest {
    private static final Id ID = Id.hash(new byte[] {1});
    private static final Id TREE = Id.hash(new byte[] {2});
    private static final Id PARENT = Id.hash(new byte[] {3});
    private static final Id ORIGINAL = Id.hash(new byte[] {4});
    private static final OffsetDateTime T = OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 600_000_000, ZoneOffset.ofHours(-5));

    @Test
    void everyFieldInResticsOrder() {
        SnapshotSummary summary = new SnapshotSummary(T, T.plusSeconds(1), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Snapshot s = new Snapshot(ID, T, PARENT, TREE, List.of("/a", "/b<c>"), "host", "user", 1000, 1001,
                List.of("*.tmp"), List.of("t1", "t2"), ORIGINAL, "stowage 0.1.0", summary);
        String json = new String(s.toJson(), StandardCharsets.UTF_8);
        assertEquals("{\"time\":\"2022-01-02T03:04:05.6-05:00\",\"parent\":\"" + PARENT + "\",\"tree\":\"" + TREE + "\","
                + "\"paths\":[\"/a\",\"/b\\u003cc\\u003e\"],\"hostname\":\"host\",\"username\":\"user\",\"uid\":1000,\"gid\":1001,"
                + "\"excludes\":[\"*.tmp\"],\"tags\":[\"t1\",\"t2\"],\"original\":\"" + ORIGINAL + "\","
                + "\"program_version\":\"stowage 0.1.0\",\"summary\":{\"backup_start\":\"2022-01-02T03:04:05.6-05:00\","
                + "\"backup_end\":\"2022-01-02T03:04:06.6-05:00\",\"files_new\":1,\"files_changed\":2,\"files_unmodified\":3,"
                + "\"dirs_new\":4,\"dirs_changed\":5,\"dirs_unmodified\":6,\"data_blobs\":7,\"tree_blobs\":8,\"data_added\":9,"
                + "\"data_added_packed\":10,\"total_files_processed\":11,\"total_bytes_processed\":12}}", json);
        Snapshot back = Snapshot.parse(ID, s.toJson());
        assertEquals(s, back);
        assertArrayEquals(s.toJson(), back.toJson());
    }

    @Test
    void emptyFieldsAreOmittedButPathsAndTreeAreAlwaysWritten() {
        Snapshot s = new Snapshot(null, T, null, TREE, List.of(), null, null, 0, 0, null, null, null, null, null);
        assertEquals("{\"time\":\"2022-01-02T03:04:05.6-05:00\",\"tree\":\"" + TREE + "\",\"paths\":[]}",
                new String(s.toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void snapshotsJsonListingAddsIdAndShortId() {
        Snapshot s = new Snapshot(ID, T, null, TREE, List.of("/"), "h", "", 0, 0, null, null, null, null, null);
        JsonWriter w = new JsonWriter();
        s.writeJson(w, true);
        String json = new String(w.toByteArray(), StandardCharsets.UTF_8);
        assertTrue(json.endsWith(",\"id\":\"" + ID + "\",\"short_id\":\"" + ID.hex().substring(0, 8) + "\"}"), json);
    }

    @Test
    void nullsAndUnknownFieldsAreTolerated() {
        String json = "{\"time\":\"2022-01-02T03:04:05Z\",\"parent\":null,\"tree\":\"" + TREE + "\",\"paths\":null,"
                + "\"tags\":null,\"hostname\":\"h\",\"future\":{\"x\":[1,2,{}]},\"summary\":{\"files_new\":5,\"other\":[]}}";
        Snapshot s = Snapshot.parse(ID, json.getBytes(StandardCharsets.UTF_8));
        assertNull(s.parent());
        assertEquals(List.of(), s.paths());
        assertEquals(List.of(), s.tags());
        assertEquals(5, s.summary().filesNew());
        assertEquals("h", s.hostname());
    }

    @Test
    void uidAndGidAreUnsigned32BitValues() {
        String json = "{\"time\":\"2022-01-02T03:04:05Z\",\"tree\":\"" + TREE + "\",\"paths\":[\"/\"],\"uid\":4294967295,\"gid\":65534}";
        Snapshot s = Snapshot.parse(ID, json.getBytes(StandardCharsets.UTF_8));
        assertEquals(4294967295L, s.uid());
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), s.toJson());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "{\"tree\":\"%T\",\"paths\":[]}", "{\"time\":\"2022-01-02T03:04:05Z\",\"paths\":[]}",
        "{\"time\":\"2022-01-02T03:04:05Z\",\"tree\":\"abc\",\"paths\":[]}",
        "{\"time\":\"2022-01-02 03:04:05\",\"tree\":\"%T\",\"paths\":[]}",
        "{\"time\":\"2022-01-02T03:04:05Z\",\"tree\":\"%T\",\"parent\":\"xyz\"}",
        "{\"time\":\"2022-01-02T03:04:05Z\",\"tree\":\"%T\",\"uid\":-1}",
        "{\"time\":\"2022-01-02T03:04:05Z\",\"tree\":\"%T\"",
    })
    void malformedSnapshotsAreRejectedNamingTheSnapshot(String template) {
        byte[] json = template.replace("%T", TREE.hex()).getBytes(StandardCharsets.UTF_8);
        StowageException e = assertThrows(StowageException.class, () -> Snapshot.parse(ID, json));
        assertTrue(e.getMessage().contains(ID.hex()), "message does not name the snapshot: " + e.getMessage());
    }
}
