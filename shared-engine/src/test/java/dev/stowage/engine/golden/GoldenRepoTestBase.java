package dev.stowage.engine.golden;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.KeyFile;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotFilter;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.index.IndexFile;
import dev.stowage.engine.index.PackEntry;
import dev.stowage.engine.pack.PackFormat;
import dev.stowage.engine.pack.PackedBlob;
import dev.stowage.engine.repository.Config;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import dev.stowage.engine.restorer.Dumper;
import dev.stowage.engine.restorer.RestoreOptions;
import dev.stowage.engine.restorer.RestoreProgress;
import dev.stowage.engine.restorer.Restorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A golden repository written by restic 0.14.0 (shared/restic-golden/restic-0.14-golden-repos.tar.gz)
 * checked against its MANIFEST: every decrypted document must match byte for byte, and every
 * document we can encode (config, snapshots, index files, trees) must re-encode to restic's bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GoldenRepoTestBase {
    private static final OffsetDateTime SOURCE_MTIME = OffsetDateTime.of(2021, 3, 4, 5, 6, 7, 123_456_789, ZoneOffset.UTC);

    /** {@code v1repo} or {@code v2repo}. */
    abstract String name();

    abstract int version();

    private Path tmp;
    private Manifest manifest;
    private Map<String, Golden.Entry> tar;
    private Map<String, byte[]> files;
    private Repository repo;

    @BeforeAll
    void openRepository(@TempDir Path dir) throws Exception {
        tmp = dir;
        manifest = Manifest.read(Golden.goldenFile(name() + ".MANIFEST.txt"));
        tar = Golden.untarGz(Golden.goldenFile("restic-0.14-golden-repos.tar.gz"));
        Golden.extract(tar, name(), tmp.resolve(name()));
        files = new TreeMap<>();
        tar.forEach((path, e) -> {
            if (e.type() == '0' && path.startsWith(name() + "/")) {
                files.put(path.substring(name().length() + 1), e.body());
            }
        });
        repo = Repository.open(new LocalBackend(tmp.resolve(name())), manifest.password(), RepositoryOptions.defaults());
        repo.loadIndex();
    }

    @AfterAll
    void close() throws Exception {
        if (repo != null) {
            repo.close();
        }
    }

    @Test
    void everyFileButConfigHashesToItsName() {
        assertTrue(files.containsKey("config"));
        assertEquals(1 + 1 + manifest.snapshots().size() + manifest.indexes().size() + manifest.packs().size(), files.size());
        files.forEach((path, bytes) -> {
            if (!path.equals("config")) {
                assertEquals(path.substring(path.lastIndexOf('/') + 1), Id.hash(bytes).hex(), path);
            }
        });
    }

    @Test
    void configMasterKeyAndKeyFileMatchTheManifest() throws Exception {
        byte[] plain = repo.key().open(repo.backend().load(Handle.CONFIG));
        assertEquals(manifest.config(), utf8(plain));
        Config c = repo.config();
        assertEquals(version(), c.version());
        assertArrayEquals(plain, c.toJson());
        assertEquals(manifest.masterKey(), utf8(repo.key().toJson()));
        byte[] keyFile = files.get("keys/" + manifest.keyFileId());
        assertNotNull(keyFile);
        assertEquals(manifest.keyFile(), utf8(keyFile));
        assertArrayEquals(keyFile, KeyFile.parse(keyFile).toJson());
    }

    @Test
    void snapshotsMatchTheManifestAndReencodeByteForByte() throws Exception {
        List<Snapshot> all = Snapshots.loadAll(repo);
        assertEquals(manifest.snapshots().keySet(), all.stream().map(s -> s.id().hex()).collect(Collectors.toSet()));
        for (Snapshot s : all) {
            byte[] json = repo.loadUnpacked(FileType.SNAPSHOT, s.id());
            assertEquals(manifest.snapshots().get(s.id().hex()), utf8(json), s.id().hex());
            assertArrayEquals(json, s.toJson(), s.id().hex());
        }
        // oldest first: the directory backup, then the stdin backup
        Snapshot dir = all.get(0);
        assertEquals(OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), dir.time());
        assertEquals(List.of("/srv/golden/src"), dir.paths());
        assertEquals("goldenhost", dir.hostname());
        assertEquals("root", dir.username());
        assertEquals(List.of("golden"), dir.tags());
        Snapshot stdin = all.get(1);
        assertEquals(OffsetDateTime.of(2022, 1, 2, 4, 5, 6, 0, ZoneOffset.UTC), stdin.time());
        assertEquals(List.of("/dump.sql"), stdin.paths());
        assertEquals(List.of(), stdin.tags());
        assertEquals(Id.parse("51067e2d7878f6b3a35be856273663558b1283e6963cfdc040656ff14a53cbbe"), stdin.tree());
        assertEquals(stdin, Snapshots.find(repo, "latest", SnapshotFilter.ALL));
        assertEquals(dir, Snapshots.find(repo, "latest", new SnapshotFilter(List.of(), List.of(List.of("golden")), List.of())));
    }

    @Test
    void indexFilesMatchTheManifestAndThePackHeaders() throws Exception {
        Map<Id, Manifest.Pack> packs = new HashMap<>();
        manifest.packs().forEach(p -> packs.put(p.id(), p));
        Set<Id> indexed = new HashSet<>();
        assertEquals(manifest.indexes().keySet(), new HashSet<>(repo.backend().list(FileType.INDEX)));
        for (Map.Entry<String, String> ix : manifest.indexes().entrySet()) {
            byte[] json = repo.loadUnpacked(FileType.INDEX, Id.parse(ix.getKey()));
            assertEquals(ix.getValue() + "\n", utf8(json), "restic writes index files with a trailing newline");
            List<PackEntry> entries = IndexFile.decode(json, ix.getKey());
            for (PackEntry e : entries) {
                assertTrue(indexed.add(e.packId()), "pack in two index files: " + e.packId());
                Manifest.Pack p = packs.get(e.packId());
                assertNotNull(p, "index lists a pack the manifest does not: " + e.packId());
                assertEquals(expectedBlobs(p).stream().collect(Collectors.toSet()), new HashSet<>(e.blobs()), e.packId().hex());
                assertEquals(p.blobs().size(), e.blobs().size());
            }
            assertArrayEquals(json, IndexFile.encode(entries), "re-encoded index " + ix.getKey());
        }
        assertEquals(packs.keySet(), indexed);
    }

    @Test
    void packHeadersMatchTheManifest() {
        for (Manifest.Pack p : manifest.packs()) {
            byte[] pack = files.get("data/" + p.id().hex().substring(0, 2) + "/" + p.id().hex());
            assertNotNull(pack, p.id().hex());
            assertEquals(p.size(), pack.length);
            assertEquals(p.id(), Id.hash(pack));
            List<PackedBlob> header = PackFormat.readHeader(pack, repo.key(), p.id().hex());
            assertEquals(expectedBlobs(p), header, p.id().hex());
            int hlen = ByteBuffer.wrap(pack, pack.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            assertEquals(p.headerPlainLength() + 32, hlen);
            assertEquals(p.headerPlainLength(), header.stream()
                    .mapToInt(b -> b.compressed() ? PackFormat.COMPRESSED_ENTRY_SIZE : PackFormat.ENTRY_SIZE).sum());
            assertEquals(pack.length, PackFormat.packSize(header));
            for (Manifest.Blob b : p.blobs()) {
                assertEquals(version() == 2, b.compressed(), "v2 compresses every blob here, v1 none");
            }
        }
    }

    @Test
    void everyTreeIsByteIdenticalAndRoundTripsThroughTreeCodec() throws Exception {
        int trees = 0;
        for (Manifest.Pack p : manifest.packs()) {
            for (Manifest.Blob b : p.blobs()) {
                if (b.type() != BlobType.TREE) {
                    continue;
                }
                trees++;
                byte[] plain = (b.treeJson() + "\n").getBytes(StandardCharsets.UTF_8);
                assertEquals(b.id(), Id.hash(plain), "manifest tree " + b.id());
                assertEquals(b.plainLength(), plain.length);
                assertArrayEquals(plain, repo.loadBlob(BlobType.TREE, b.id()), b.id().hex());
                List<Node> nodes = TreeCodec.decode(plain, b.id().shortHex());
                assertArrayEquals(plain, TreeCodec.encode(nodes), "TreeCodec changed tree " + b.id());
            }
        }
        assertEquals(6, trees);
    }

    @Test
    void everyDataBlobDecryptsToItsId() throws Exception {
        for (Manifest.Pack p : manifest.packs()) {
            for (Manifest.Blob b : p.blobs()) {
                if (b.type() == BlobType.DATA) {
                    byte[] plain = repo.loadBlob(BlobType.DATA, b.id());
                    assertEquals(b.plainLength(), plain.length);
                    assertEquals(b.id(), Id.hash(plain));
                }
            }
        }
    }

    @Test
    void restoreReproducesTheSourceTree() throws Exception {
        Snapshot s = Snapshots.find(repo, "latest", new SnapshotFilter(List.of("goldenhost"), List.of(List.of("golden")), List.of()));
        Path target = tmp.resolve("restore-" + name());
        new Restorer(repo, RestoreOptions.defaults(), new RestoreProgress()).restore(s, target);
        Path src = target.resolve("srv/golden/src");
        assertEquals("hello world\n".length(), Files.size(src.resolve("hello.txt")));
        for (Map.Entry<String, Golden.Entry> e : tar.entrySet()) {
            if (!e.getKey().startsWith("src/")) {
                continue;
            }
            Path p = src.resolve(e.getKey().substring(4));
            switch (e.getValue().type()) {
                case '0' -> {
                    assertArrayEquals(e.getValue().body(), Files.readAllBytes(p), e.getKey());
                    assertEquals(SOURCE_MTIME.toInstant(), Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant());
                }
                case '2' -> assertEquals(Path.of(e.getValue().linkTarget()), Files.readSymbolicLink(p));
                case '5' -> assertTrue(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
                default -> throw new AssertionError("unexpected entry " + e.getKey());
            }
        }
        assertTrue(Files.isRegularFile(src.resolve("we\"ird\\name")));
        // counter.bin = SHA-256(i as 8-byte LE) for i = 0..39999
        byte[] counter = Files.readAllBytes(src.resolve("sub/counter.bin"));
        assertEquals(1_280_000, counter.length);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (long i = 0; i < 40_000; i++) {
            expected.writeBytes(Id.hash(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(i).array()).toBytes());
        }
        assertArrayEquals(expected.toByteArray(), counter);
        try (Stream<Path> all = Files.walk(target)) {
            List<String> names = new ArrayList<>(all.map(p -> target.relativize(p).toString()).toList());
            names.sort(null);
            assertEquals(List.of("", "srv", "srv/golden", "srv/golden/src", "srv/golden/src/empty.txt",
                    "srv/golden/src/hello.txt", "srv/golden/src/link", "srv/golden/src/sub", "srv/golden/src/sub/counter.bin",
                    "srv/golden/src/we\"ird\\name"), names);
        }
        assertFalse(Files.exists(target.resolve("dump.sql")));
    }

    @Test
    void dumpOfTheStdinSnapshotGivesItsContent() throws Exception {
        Snapshot s = Snapshots.find(repo, "latest", new SnapshotFilter(List.of(), List.of(), List.of("/dump.sql")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Dumper(repo).dump(s, "/dump.sql", out);
        assertEquals("stdin content\n", out.toString(StandardCharsets.UTF_8));
    }

    private static List<PackedBlob> expectedBlobs(Manifest.Pack p) {
        return p.blobs().stream()
                .map(b -> new PackedBlob(b.type(), b.id(), b.offset(), b.length(), b.compressed() ? b.plainLength() : 0))
                .toList();
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
