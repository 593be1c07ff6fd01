package dev.stowage.engine.index;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.pack.PackedBlob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Index files: restic's object format (with and without compression) and the old array format. */
class IndexFileTest {
    private static final Id P1 = id(1);
    private static final Id P2 = id(2);

    static Id id(int n) {
        return Id.hash(new byte[] {(byte) n});
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodeWritesResticsLayoutAndDecodeReadsItBack() {
        List<PackEntry> packs = List.of(
                new PackEntry(P1, List.of(
                        new PackedBlob(BlobType.DATA, id(10), 0, 55, 14),
                        new PackedBlob(BlobType.DATA, id(11), 55, 32, 0))),
                new PackEntry(P2, List.of(new PackedBlob(BlobType.TREE, id(12), 0, 211, 283))));
        byte[] json = IndexFile.encode(packs);
        assertEquals("{\"packs\":[{\"id\":\"" + P1 + "\",\"blobs\":["
                + "{\"id\":\"" + id(10) + "\",\"type\":\"data\",\"offset\":0,\"length\":55,\"uncompressed_length\":14},"
                + "{\"id\":\"" + id(11) + "\",\"type\":\"data\",\"offset\":55,\"length\":32}]},"
                + "{\"id\":\"" + P2 + "\",\"blobs\":["
                + "{\"id\":\"" + id(12) + "\",\"type\":\"tree\",\"offset\":0,\"length\":211,\"uncompressed_length\":283}]}]}\n",
                new String(json, StandardCharsets.UTF_8));
        assertEquals(packs, IndexFile.decode(json, "x"));
    }

    @Test
    void emptyIndex() {
        assertEquals("{\"packs\":[]}\n", new String(IndexFile.encode(List.of()), StandardCharsets.UTF_8));
        assertEquals(List.of(), IndexFile.decode(utf8("{\"packs\":[]}"), "x"));
        assertEquals(List.of(), IndexFile.decode(utf8("{}"), "x"));
    }

    @Test
    void lengthsAndOffsetsBeyondSignedIntRoundTrip() {
        // uint32 lengths and uint64 offsets: a blob at 5 GiB, 3 GB long
        PackedBlob big = new PackedBlob(BlobType.DATA, id(3), 5L << 30, (int) 3_000_000_000L, (int) 4_000_000_000L);
        byte[] json = IndexFile.encode(List.of(new PackEntry(P1, List.of(big))));
        String s = new String(json, StandardCharsets.UTF_8);
        assertTrue(s.contains("\"offset\":5368709120,\"length\":3000000000,\"uncompressed_length\":4000000000"), s);
        PackedBlob back = IndexFile.decode(json, "x").get(0).blobs().get(0);
        assertEquals(big, back);
        assertEquals(3_000_000_000L, back.length() & 0xffffffffL);
    }

    @Test
    void oldArrayFormatIsDecoded() {
        // the format very old restic wrote: a top-level array of pack objects, no uncompressed_length
        String old = "[\n  {\n    \"id\": \"" + P1 + "\",\n    \"blobs\": [\n"
                + "      {\"id\": \"" + id(20) + "\", \"type\": \"data\", \"offset\": 0, \"length\": 38},\n"
                + "      {\"id\": \"" + id(21) + "\", \"type\": \"tree\", \"offset\": 38, \"length\": 112}\n    ]\n  },\n"
                + "  {\"id\": \"" + P2 + "\", \"blobs\": [{\"id\": \"" + id(22) + "\", \"type\": \"data\", \"offset\": 0, \"length\": 99}]}\n]";
        List<PackEntry> packs = IndexFile.decode(utf8(old), "old");
        assertEquals(List.of(
                new PackEntry(P1, List.of(new PackedBlob(BlobType.DATA, id(20), 0, 38, 0),
                        new PackedBlob(BlobType.TREE, id(21), 38, 112, 0))),
                new PackEntry(P2, List.of(new PackedBlob(BlobType.DATA, id(22), 0, 99, 0)))), packs);
        // and we always write the current format
        assertEquals('{', IndexFile.encode(packs)[0]);
    }

    @Test
    void supersedesAndUnknownFieldsAreIgnored() {
        String json = "{\"supersedes\":[\"" + id(9) + "\"],\"future\":{\"a\":[1,2]},\"packs\":[{\"id\":\"" + P1
                + "\",\"extra\":null,\"blobs\":[{\"id\":\"" + id(10) + "\",\"type\":\"data\",\"offset\":0,\"length\":40,\"x\":[]}]}]}";
        assertEquals(List.of(new PackEntry(P1, List.of(new PackedBlob(BlobType.DATA, id(10), 0, 40, 0)))),
                IndexFile.decode(utf8(json), "x"));
    }

    @Test
    void masterIndexKeepsTheFirstLocationOfADuplicateBlob() {
        MasterIndex mi = new MasterIndex();
        mi.add(new PackEntry(P1, List.of(new PackedBlob(BlobType.DATA, id(10), 0, 40, 0))));
        mi.add(new PackEntry(P2, List.of(new PackedBlob(BlobType.DATA, id(10), 100, 40, 0),
                new PackedBlob(BlobType.TREE, id(11), 0, 50, 0))));
        assertEquals(P1, mi.lookup(BlobType.DATA, id(10)).packId());
        assertEquals(1, mi.blobCount(BlobType.DATA));
        assertEquals(1, mi.blobCount(BlobType.TREE));
        // the blob type is part of the key
        assertNull(mi.lookup(BlobType.TREE, id(10)));
        assertEquals(2, mi.packIds().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "42",
        "{\"packs\":[{\"id\":\"" + "00" + "\",\"blobs\":[]}]}",
        "{\"packs\":[{\"blobs\":[]}]}",
        "{\"packs\":[{\"id\":\"%P\",\"blobs\":[{\"id\":\"%B\",\"type\":\"blob\",\"offset\":0,\"length\":1}]}]}",
        "{\"packs\":[{\"id\":\"%P\",\"blobs\":[{\"id\":\"%B\",\"type\":\"data\",\"length\":1}]}]}",
        "{\"packs\":[{\"id\":\"%P\",\"blobs\":[{\"id\":\"%B\",\"type\":\"data\",\"offset\":-1,\"length\":1}]}]}",
        "{\"packs\":[{\"id\":\"%P\",\"blobs\":[{\"id\":\"%B\",\"type\":\"data\",\"offset\":0,\"length\":4294967296}]}]}",
        "{\"packs\":[{\"id\":\"%P\",\"blobs\":[{\"type\":\"data\",\"offset\":0,\"length\":1}]}]}",
        "{\"packs\":[{\"id\":\"%P\",\"blobs\":[{\"id\":\"%B\",\"type\":\"data\",\"offset\":0,\"length\":\"x\"}]}]}",
        "{\"packs\":[{\"id\":\"%P\",\"blobs\":[",
    })
    void malformedIndexesAreRejectedNamingTheFile(String template) {
        String json = template.replace("%P", P1.hex()).replace("%B", id(10).hex());
        StowageException e = assertThrows(StowageException.class, () -> IndexFile.decode(utf8(json), "index/feedbeef"));
        assertTrue(e.getMessage().contains("index/feedbeef"), "message does not name the index: " + e.getMessage());
    }

    @Test
    void encodedIndexIsStableUnderReencoding() {
        List<PackEntry> packs = List.of(new PackEntry(P1, List.of(new PackedBlob(BlobType.TREE, id(1), 0, 33, 0))));
        byte[] once = IndexFile.encode(packs);
        assertArrayEquals(once, IndexFile.encode(IndexFile.decode(once, "x")));
    }
}
