package dev.stowage.engine.pack;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.CryptoKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pack files: PackWriter output read back by PackFormat, and damaged packs rejected with the pack named. */
class PackFormatTest {
    private static final HexFormat HEX = HexFormat.of();
    private final CryptoKey key = CryptoKey.random();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @TempDir
    Path dir;

    /** A written pack: what the writer reported and the file's bytes as stored. */
    private record Written(PackWriter.Finished pack, byte[] bytes) {
    }

    private Written samplePack() throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("repo"));
        backend.create();
        PackWriter w = new PackWriter(backend);
        byte[] a = utf8("first blob, stored as is");
        w.add(BlobType.DATA, Id.hash(a), key.seal(a), 0, a.length + CryptoKey.OVERHEAD, 0);
        byte[] b = utf8("pretend this is a zstd frame");
        // a blob in the middle of a larger buffer
        byte[] sealedB = key.seal(b);
        byte[] around = new byte[sealedB.length + 9];
        System.arraycopy(sealedB, 0, around, 4, sealedB.length);
        w.add(BlobType.DATA, Id.hash(utf8("plain b")), around, 4, sealedB.length, 1234);
        byte[] t = utf8("{\"nodes\":[]}\n");
        w.add(BlobType.TREE, Id.hash(t), key.seal(t), 0, t.length + CryptoKey.OVERHEAD, 0);
        w.add(BlobType.TREE, Id.hash(utf8("tree 2")), key.seal(utf8("zz")), 0, 2 + CryptoKey.OVERHEAD, 6);
        // an empty blob: 32 bytes of IV and MAC only
        w.add(BlobType.DATA, Id.hash(new byte[0]), key.seal(new byte[0]), 0, CryptoKey.OVERHEAD, 0);
        PackWriter.Finished pack = w.finish(key);
        return new Written(pack, backend.load(new Handle(FileType.PACK, pack.id().hex())));
    }

    @Test
    void writerOutputReadsBack() throws IOException {
        Written written = samplePack();
        PackWriter.Finished pack = written.pack();
        byte[] bytes = written.bytes();
        assertEquals(Id.hash(bytes), pack.id());
        List<PackedBlob> header = PackFormat.readHeader(bytes, key, "p");
        assertEquals(pack.blobs(), header);
        assertEquals(5, header.size());
        long offset = 0;
        for (PackedBlob b : header) {
            assertEquals(offset, b.offset(), "blobs are contiguous from 0");
            offset += b.length();
        }
        assertEquals(List.of(false, true, false, true, false), header.stream().map(PackedBlob::compressed).toList());
        assertEquals(List.of(BlobType.DATA, BlobType.DATA, BlobType.TREE, BlobType.TREE, BlobType.DATA),
                header.stream().map(PackedBlob::type).toList());
        assertEquals("first blob, stored as is", new String(key.open(bytes, 0, header.get(0).length()), StandardCharsets.UTF_8));
        assertEquals(0, key.open(bytes, (int) header.get(4).offset(), 32).length);
        assertEquals(bytes.length, PackFormat.packSize(header));
        // header: 3 plain entries of 37 bytes, 2 compressed ones of 41, plus 32 bytes of crypto
        int hlen = PackFormat.getInt(bytes, bytes.length - 4);
        assertEquals(3 * 37 + 2 * 41 + 32, hlen);
        assertEquals(1234, header.get(1).plaintextLength());
        assertEquals(24, header.get(0).plaintextLength());
    }

    @Test
    void headerEntriesHaveResticsByteLayout() {
        Id id = Id.parse("325df6953df4b63fa228579c0d8fe4c8a47192846d5258e3aa5d95b35b3ac642");
        // restic-format.md §4 [verified]: 02 37000000 0e000000 <id> for a 14-byte blob stored in 55 bytes
        assertEquals("02" + "37000000" + "0e000000" + id.hex(),
                HEX.formatHex(PackFormat.encodeHeader(List.of(new PackedBlob(BlobType.DATA, id, 0, 55, 14)))));
        assertEquals("01" + "21000000" + id.hex(),
                HEX.formatHex(PackFormat.encodeHeader(List.of(new PackedBlob(BlobType.TREE, id, 0, 33, 0)))));
        assertEquals("00" + "ffffffff" + id.hex(),
                HEX.formatHex(PackFormat.encodeHeader(List.of(new PackedBlob(BlobType.DATA, id, 0, -1, 0)))));
        assertEquals("03" + "d3000000" + "1b010000" + id.hex(),
                HEX.formatHex(PackFormat.encodeHeader(List.of(new PackedBlob(BlobType.TREE, id, 0, 211, 283)))));
    }

    private StowageException damaged(byte[] pack) {
        StowageException e = assertThrows(StowageException.class, () -> PackFormat.readHeader(pack, key, "data/ab/abcdef"));
        assertTrue(e.getMessage().contains("data/ab/abcdef"), "message does not name the pack: " + e.getMessage());
        return e;
    }

    @Test
    void tooSmallPack() {
        assertTrue(damaged(new byte[72]).getMessage().contains("truncated"));
        assertTrue(damaged(new byte[0]).getMessage().contains("truncated"));
    }

    @Test
    void truncatedPackIsRejected() throws IOException {
        byte[] bytes = samplePack().bytes();
        for (int cut : new int[] {1, 4, 5, 40, bytes.length - 80}) {
            damaged(Arrays.copyOf(bytes, bytes.length - cut));
        }
        // cutting blobs off the front leaves a header that describes more bytes than exist
        byte[] front = Arrays.copyOfRange(bytes, 10, bytes.length);
        assertTrue(damaged(front).getMessage().contains("header describes"), damaged(front).getMessage());
    }

    @Test
    void impossibleHeaderLengths() throws IOException {
        byte[] bytes = samplePack().bytes();
        for (long hlen : new long[] {0, 31, 68, bytes.length - 3, 0xffffffffL, 16 * 1024 * 1024 + 1}) {
            byte[] p = bytes.clone();
            PackFormat.putInt(p, p.length - 4, (int) hlen);
            assertTrue(damaged(p).getMessage().contains("header length"), "hlen " + hlen);
        }
    }

    @Test
    void everyFlippedHeaderBitIsDetected() throws IOException {
        byte[] bytes = samplePack().bytes();
        int hlen = PackFormat.getInt(bytes, bytes.length - 4);
        for (int i = bytes.length - 4 - hlen; i < bytes.length - 4; i += 7) {
            byte[] p = bytes.clone();
            p[i] ^= 0x10;
            assertTrue(damaged(p).getMessage().contains("fails authentication"), "byte " + i);
        }
    }

    @Test
    void anotherRepositorysKeyCannotReadTheHeader() throws IOException {
        byte[] bytes = samplePack().bytes();
        StowageException e = assertThrows(StowageException.class,
                () -> PackFormat.readHeader(bytes, CryptoKey.random(), "data/ab/abcdef"));
        assertTrue(e.getMessage().contains("data/ab/abcdef") && e.getMessage().contains("fails authentication"));
    }

    /** A pack whose blob area is {@code blobBytes} zero bytes and whose header plaintext is {@code header}. */
    private byte[] packWithHeader(int blobBytes, byte[] header) {
        byte[] sealed = key.seal(header);
        byte[] p = new byte[blobBytes + sealed.length + 4];
        System.arraycopy(sealed, 0, p, blobBytes, sealed.length);
        PackFormat.putInt(p, p.length - 4, sealed.length);
        return p;
    }

    @Test
    void unknownBlobTypeInHeader() {
        byte[] h = PackFormat.encodeHeader(List.of(new PackedBlob(BlobType.DATA, Id.hash(new byte[0]), 0, 40, 0)));
        h[0] = 4;
        assertTrue(damaged(packWithHeader(40, h)).getMessage().contains("unknown blob type 4"));
    }

    @Test
    void truncatedHeaderEntry() {
        byte[] h = PackFormat.encodeHeader(List.of(new PackedBlob(BlobType.DATA, Id.hash(new byte[0]), 0, 40, 7)));
        assertTrue(damaged(packWithHeader(40, Arrays.copyOf(h, 40))).getMessage().contains("truncated"));
    }

    @Test
    void headerThatDoesNotTileTheBlobArea() {
        byte[] h = PackFormat.encodeHeader(List.of(new PackedBlob(BlobType.DATA, Id.hash(new byte[0]), 0, 40, 0)));
        assertTrue(damaged(packWithHeader(41, h)).getMessage().contains("header describes 40 bytes"));
        assertTrue(damaged(packWithHeader(39, h)).getMessage().contains("header describes 40 bytes"));
    }
}
