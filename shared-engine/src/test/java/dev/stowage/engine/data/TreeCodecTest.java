package dev.stowage.engine.data;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tree blobs against trees restic 0.14.0 wrote (src/test/resources/dev/stowage/engine/data/restic014,
 * see the README there): decoding keeps names as raw bytes, and re-encoding gives restic's bytes.
 */
class TreeCodecTest {
    private static final OffsetDateTime T = OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TreeCodecTest.class.getResourceAsStream("restic014/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource restic014/" + name);
            }
            return in.readAllBytes();
        }
    }

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    static Node file(byte[] name, List<Id> content, long size) {
        return new Node(name, NodeType.FILE, 0644, T, T, T, 0, 0, "", "", 0, 0, size, 0, null, List.of(), 0, content, null, "");
    }

    static Node dir(byte[] name, Id subtree) {
        return new Node(name, NodeType.DIR, FileMode.DIR | 0755, T, T, T, 0, 0, "", "", 0, 0, 0, 0, null, List.of(), 0,
                null, subtree, "");
    }

    @Test
    void treeWithExoticNamesAndNodeTypesRoundTripsByteForByte() throws IOException {
        byte[] plain = resource("tree-b28d08d3.json");
        assertEquals("b28d08d3c19a2c6e6b0000fd2d7e90a3592fabd503f78aab56d965ff92885e6c", Id.hash(plain).hex());
        List<Node> nodes = TreeCodec.decode(plain, "b28d08d3");
        assertEquals(24, nodes.size());
        assertArrayEquals(plain, TreeCodec.encode(nodes));
        // encoding sorts, so the input order must not matter
        List<Node> reversed = new ArrayList<>(nodes);
        java.util.Collections.reverse(reversed);
        assertArrayEquals(plain, TreeCodec.encode(reversed));

        Map<String, Node> byName = nodes.stream().collect(Collectors.toMap(
                n -> HexFormat.of().formatHex(n.name()), Function.identity()));
        for (byte[] name : List.of(
                bytes(0xf0, 0x9f, 0x98, 0x80, "smile"), bytes("tag", 0xf3, 0xa0, 0x80, 0x81, "x"),
                bytes("soft", 0xc2, 0xad, "hy"), bytes("ls", 0xe2, 0x80, 0xa8, "x"), bytes("new\nline"),
                bytes("tab\there"), bytes("quo\"te"), bytes("back\\slash"), bytes("d", 0xc3, 0xa9, "l"),
                bytes("日本"), bytes("sp ace"), bytes("del", 0x7f), bytes("bell", 7, "vt", 11),
                bytes("lone", 0xed, 0xa0, 0x80, "sur"), bytes("over", 0xc0, 0xaf, "long"), bytes("trunc", 0xe6, 0x97),
                bytes("pua", 0xf3, 0xb0, 0x80, 0x80))) {
            assertTrue(byName.containsKey(HexFormat.of().formatHex(name)), "name not decoded to its bytes: "
                    + HexFormat.of().formatHex(name));
        }
        Node hard1 = byName.get(HexFormat.of().formatHex(bytes("hard1")));
        assertEquals(2, hard1.links());
        assertEquals(3, hard1.size());
        assertEquals(65024, hard1.deviceId());
        assertEquals("root", hard1.user());
        assertEquals(1, hard1.extendedAttributes().size());
        assertEquals("user.comment", hard1.extendedAttributes().get(0).name());
        assertArrayEquals(bytes("hello", 0, 0xff), hard1.extendedAttributes().get(0).value());
        assertEquals(OffsetDateTime.of(2026, 11, 21, 5, 53, 57, 752_226_000, ZoneOffset.UTC), hard1.mtime());

        Node chr = byName.get(HexFormat.of().formatHex(bytes("chr")));
        assertEquals(NodeType.CHARDEV, chr.type());
        assertEquals(FileMode.DEVICE | FileMode.CHAR_DEVICE | 0644, chr.mode());
        assertEquals(259, chr.device());
        assertNull(chr.content());

        Node d = byName.get(HexFormat.of().formatHex(bytes("d")));
        assertEquals(FileMode.DIR | FileMode.STICKY | 0777, d.mode());
        assertEquals(Id.parse("ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8"), d.subtree());
        assertNull(d.content());

        assertEquals(FileMode.SETUID | 0755, byName.get(HexFormat.of().formatHex(bytes("suid"))).mode());
        assertEquals(FileMode.NAMED_PIPE | 0644, byName.get(HexFormat.of().formatHex(bytes("fifo"))).mode());
        Node sym = byName.get(HexFormat.of().formatHex(bytes("sym")));
        assertEquals(FileMode.SYMLINK | 0777, sym.mode());
        assertArrayEquals(bytes("hard1"), sym.linkTarget());
        // an empty file has "content":[], never null
        assertEquals(List.of(), byName.get(HexFormat.of().formatHex(bytes("suid"))).content());
    }

    @Test
    void emptyDirectoryTreeIsRestics() {
        byte[] plain = TreeCodec.encode(List.of());
        assertEquals("{\"nodes\":[]}\n", new String(plain, StandardCharsets.UTF_8));
        // the subtree of the empty directory d in the restic tree above
        assertEquals("ac08ce34ba4f8123618661bef2425f7028ffb9ac740578a3ee88684d2523fee8", Id.hash(plain).hex());
        assertEquals(List.of(), TreeCodec.decode(plain, "empty"));
    }

    @Test
    void symlinkTargetThatIsNotUtf8() throws IOException {
        // restic 0.14 replaced the invalid byte with an escaped U+FFFD, so this tree is not canonical
        byte[] plain = resource("tree-4e9b80d2.json");
        assertEquals("4e9b80d29c99e680abed3fe38ed15c0ea2c7f0b3c3c36cea78b78b589099423a", Id.hash(plain).hex());
        Node n = TreeCodec.decode(plain, "4e9b80d2").get(0);
        assertEquals(NodeType.SYMLINK, n.type());
        assertArrayEquals(bytes("bad", 0xef, 0xbf, 0xbd, "target"), n.linkTarget());
        // we keep such targets exactly, as restic >= 0.16 does, with linktarget_raw
        Node raw = new Node(bytes("badsym"), NodeType.SYMLINK, FileMode.SYMLINK | 0777, T, T, T, 0, 0, "", "", 0, 0, 0, 0,
                bytes("bad", 0xff, "target"), List.of(), 0, null, null, "");
        byte[] ours = TreeCodec.encode(List.of(raw));
        String json = new String(ours, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"linktarget\":\"bad\\ufffdtarget\",\"linktarget_raw\":\"YmFk/3RhcmdldA==\""), json);
        assertArrayEquals(bytes("bad", 0xff, "target"), TreeCodec.decode(ours, "ours").get(0).linkTarget());
    }

    @Test
    void nodesAreSortedByUnsignedNameBytesNotByUtf16() {
        Id blob = Id.hash(new byte[0]);
        List<Node> nodes = new ArrayList<>();
        for (byte[] name : List.of(bytes(0xff), bytes("😀"), bytes("\uFFFD"), bytes("é"), bytes("b"), bytes("a"), bytes("Z"))) {
            nodes.add(file(name, List.of(blob), 0));
        }
        List<Node> decoded = TreeCodec.decode(TreeCodec.encode(nodes), "sorted");
        List<String> order = decoded.stream().map(n -> HexFormat.of().formatHex(n.name())).toList();
        // U+FFFD (ef bf bd) sorts before U+1F600 (f0 ...), although Java's String order puts the surrogate pair first
        assertEquals(List.of("5a", "61", "62", "c3a9", "efbfbd", "f09f9880", "ff"), order);
    }

    @Test
    void duplicateNamesAreRefused() {
        StowageException e = assertThrows(StowageException.class, () -> TreeCodec.encode(List.of(
                file(bytes("twice"), List.of(), 0), dir(bytes("twice"), Id.hash(new byte[0])))));
        assertTrue(e.getMessage().contains("duplicate name") && e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void fileAndDirectoryFieldsFollowResticsOmitRules() {
        Id blob = Id.parse("325df6953df4b63fa228579c0d8fe4c8a47192846d5258e3aa5d95b35b3ac642");
        String json = new String(TreeCodec.encode(List.of(file(bytes("empty"), List.of(), 0),
                file(bytes("f"), List.of(blob, blob), 28), dir(bytes("sub"), blob))), StandardCharsets.UTF_8);
        assertEquals("{\"nodes\":["
                + "{\"name\":\"empty\",\"type\":\"file\",\"mode\":420,\"mtime\":\"2022-01-02T03:04:05Z\",\"atime\":\"2022-01-02T03:04:05Z\","
                + "\"ctime\":\"2022-01-02T03:04:05Z\",\"uid\":0,\"gid\":0,\"content\":[]},"
                + "{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"mtime\":\"2022-01-02T03:04:05Z\",\"atime\":\"2022-01-02T03:04:05Z\","
                + "\"ctime\":\"2022-01-02T03:04:05Z\",\"uid\":0,\"gid\":0,\"size\":28,\"content\":[\"" + blob + "\",\"" + blob + "\"]},"
                + "{\"name\":\"sub\",\"type\":\"dir\",\"mode\":2147484141,\"mtime\":\"2022-01-02T03:04:05Z\",\"atime\":\"2022-01-02T03:04:05Z\","
                + "\"ctime\":\"2022-01-02T03:04:05Z\",\"uid\":0,\"gid\":0,\"content\":null,\"subtree\":\"" + blob + "\"}]}\n", json);
    }

    @Test
    void missingTimesDecodeToGosZeroTimeAndUnknownKeysAreIgnored() {
        byte[] json = ("{\"extra\":1,\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"generic_attributes\":{\"a\":\"b\"},"
                + "\"content\":[],\"future\":[1,{\"k\":2}]}],\"more\":{\"x\":[]}}").getBytes(StandardCharsets.UTF_8);
        Node n = TreeCodec.decode(json, "t").get(0);
        assertEquals(OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), n.mtime());
        assertEquals(List.of(), n.content());
        assertFalse(n.extendedAttributes().iterator().hasNext());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "{\"nodes\":[{\"name\":\"x\",\"type\":\"bogus\"}]}",
        "{\"nodes\":[{\"name\":\"bad\\\\q\",\"type\":\"file\"}]}",
        "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"content\":[\"abc\"]}]}",
        "{\"nodes\":[{\"name\":\"x\",\"type\":\"dir\",\"subtree\":\"zz\"}]}",
        "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"mtime\":\"yesterday\"}]}",
        "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"size\":-1}]}",
        "{\"nodes\":[{\"type\":\"file\"}]}",
        "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"content\":[]",
    })
    void malformedTreesAreRejectedNamingTheTree(String json) {
        StowageException e = assertThrows(StowageException.class,
                () -> TreeCodec.decode(json.getBytes(StandardCharsets.UTF_8), "cafe1234"));
        assertTrue(e.getMessage().contains("cafe1234"), "message does not name the tree: " + e.getMessage());
    }

    @Test
    void snapshotWrittenByResticWithOffsetTagsAndExcludesReencodesByteForByte() throws IOException {
        byte[] json = resource("snapshot-95fba84b.json");
        Snapshot s = Snapshot.parse(Id.parse("95fba84be5e0458a2a8b6c259eb73bd16a2c4ff47f94b95dfbd0f25b0ae44e25"), json);
        assertEquals(OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(5, 30)), s.time());
        assertEquals(List.of("a", "b", "c"), s.tags());
        assertEquals(List.of("*.tmp"), s.excludes());
        assertEquals(List.of("/tmp/qx/s3"), s.paths());
        assertEquals("h3", s.hostname());
        assertArrayEquals(json, s.toJson());
    }
}
