package dev.stowage.engine.golden;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotFilter;
import dev.stowage.engine.data.SnapshotNotFoundException;
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
import dev.stowage.engine.restorer.RestoreResult;
import dev.stowage.engine.restorer.Restorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 1.5 KB v2 repository restic 0.14.0 wrote (shared/restic-golden/mini-v2-repo.tar.gz,
 * password test123), decoded byte for byte against restic-format.md §13.3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniRepoGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String KEY_ID = "8bb9cc09baf0e26213bd17b8e1e17989ef4fcf84e551ee2b2d77cbd7a1a5dc3b";
    private static final String SNAPSHOT_ID = "310ef6afe3ded0678fc79f28f83a9a27dc88897ac4fc4322d67dc17e7c3751e3";
    private static final String INDEX_ID = "59e5205bf6d4d28533d122ee145688520b50b3ed008da00e2b23e30db8b526bd";
    private static final String DATA_PACK_ID = "a556e5688ae1a185459e8019347953ff9d3eeaee5a59fd939f31b6854ae30b69";
    private static final String TREE_PACK_ID = "f27d923eb0806a029a56849c744cc23ec8413bcc41ef03f5a513a31e3e855c95";
    private static final String DATA_BLOB_ID = "325df6953df4b63fa228579c0d8fe4c8a47192846d5258e3aa5d95b35b3ac642";
    private static final String TREE_ID = "55e273855e7d0a56bdfc79d3207eb6af9700691838cf198c7e890b918a085d44";

    private static final String CONFIG_JSON = "{\"version\":2,\"id\":\"b002f26d91d8b263c580401400b016e4191a0a4f916a524942d2d0f73ecf9fda\","
            + "\"chunker_polynomial\":\"2d14de679a197f\"}";
    private static final String SNAPSHOT_JSON = "{\"time\":\"2026-11-21T04:55:04.646631646Z\",\"tree\":\"" + TREE_ID + "\","
            + "\"paths\":[\"/db.sql\"],\"hostname\":\"hostA\",\"username\":\"root\"}";
    private static final String INDEX_JSON = "{\"packs\":[{\"id\":\"" + DATA_PACK_ID + "\",\"blobs\":[{\"id\":\"" + DATA_BLOB_ID
            + "\",\"type\":\"data\",\"offset\":0,\"length\":55,\"uncompressed_length\":14}]},{\"id\":\"" + TREE_PACK_ID
            + "\",\"blobs\":[{\"id\":\"" + TREE_ID + "\",\"type\":\"tree\",\"offset\":0,\"length\":211,\"uncompressed_length\":283}]}]}\n";
    private static final String TREE_JSON = "{\"nodes\":[{\"name\":\"db.sql\",\"type\":\"file\",\"mode\":420,"
            + "\"mtime\":\"2026-11-21T04:55:04.646631646Z\",\"atime\":\"2026-11-21T04:55:04.646631646Z\","
            + "\"ctime\":\"2026-11-21T04:55:04.646631646Z\",\"uid\":0,\"gid\":0,\"size\":14,\"content\":[\"" + DATA_BLOB_ID + "\"]}]}\n";
    private static final String DATA_PACK_HEADER_PLAIN = "02" + "37000000" + "0e000000" + DATA_BLOB_ID;

    private static final String CONFIG_HEX = "b30d1369a1a287c9f6e6173f423af025b1a8cdfaf1b35c64018763189a8b8499322492714654b78bd493194717a8a058"
            + "c341b289fb4a2ce42ab2042f285d8d437dcbcafb13fc79fcd36cc7b7f4a8f0dabf3a3e73a440ed8e6f33aa3d5855aff7"
            + "f9ee2a2b1b9f12073fe9dd3ca6d1849f5954a0f86c108b385f2685ae62fa2d81a0f0a4258ca9a2751c8b006be942b910"
            + "8ac167ac032f230b698b33";
    private static final String SNAPSHOT_HEX = "9c9655796a8990c3800f89e2784f84e966407a8c1e354737bb14db4c0668c0a64d00f7d2bc6368a4bfa2abf94438b3b0"
            + "55aee4bd9f759235b6c3d50c716bc8d10d7d7a466499fd3759a4f568fdebeeae0bf5cf5655c8ee6f933fc6dbd5447fca"
            + "8339a4a95e55b6f533fb09f202a3164b735f511bd3926afb815a7a10d61cf2ae46e6b0dba9f6702dee1941e02cc95b9f"
            + "0cd2a6465f47e60edafac0b831010848b2f66e0b5e9e1d15337e22ee30d294ed48a263aef44edb1de7";
    private static final String INDEX_HEX = "d87b75d6aadb7646bac2dc2779434a72b2e7e3e62350a935a07691d37880d060b54ca8429b84d3ba1016c71a28389c7e"
            + "a788e8e81b55e97173e039c40fd8a68644fb563b2f828b3b8d690ba67013797942d23cd6024b49caa5d1b2a8f6bfc1fc"
            + "1a70a4af57946124e0b3977074fc7d988e21c67afc3371f1cdee66ac9af6163273d8bb851f69b04f1f7af223bcbd7a98"
            + "5dd105ba9c845369bf17cbe2102233c8f3ba3638760c4c670541825b878fb4a73bf71fe95db77bffb1d08f1eea1f8403"
            + "0a75fbbddef59083e0f45501f30c7e7918cf349e890166e102de9a228f52261a93fc35e151b4eab4bce0af358a1bbfe0"
            + "4d81bf295470fa59de244b45d0e4a9d31116d8d7e9e2771a497c0337c652e4b18955c6c32f583c81d112afe786184ae8"
            + "5330be94b69e420f61ea902d499bb620a541c37f";
    private static final String DATA_PACK_HEX = "b6f924164964b6d9b3753b175a8324e58dfcecd4705e0a8d6b1a5bec7cb9fcec7a1353c29f15d4ff0eb7d7e70378a2d0"
            + "20f8a4d2230241bd92f9d27dfcea0534c5c8e48cc30a11be6cbe2d4ae5689c703b5b7ae931c6a3a19ac40d38ea5dfed8"
            + "b514793ea6956889d2ce66161d927989027a0851738698a9512bf72a59ecac3a49000000";
    private static final String TREE_PACK_HEX = "1e8eb37615206fe6577164e7209331319945c84ab495b8b6721196a743544f748bcb01260a7267da102e4563ba3f8878"
            + "a6b786fb399ab6e8a1e802b5597360e79e8dbda91dfe376f525bab8e23b451e44df8ef8509ef9d750a6ad63b6860f06a"
            + "588dfe77aa50e61530f1eee69637dd48252ebbfb11c11ff77eb32355948de91d10e8512b00581f7981ad5e37a0b15a6d"
            + "df1bdbc4893513c6b4f028aad645607f73264a3769546dc564073635e57bd27bb30284a03f7f4ac7cf89c8f5cf0ca62d"
            + "10f105ea4b4ff845f0c66c7532a4793a8decdb93d48b37d887da414989f72c3993b158b7bcd66f143f008a75e758c0b7"
            + "4a5164135208caecdc5d8ed13710ed4ddb76c4b3a89b36a1d4159857eba098efb2884c599438619846a0eed649000000";

    private Path tmp;
    private Path repoDir;
    private Map<String, byte[]> files;
    private Repository repo;

    @BeforeAll
    void openRepository(@TempDir Path dir) throws Exception {
        tmp = dir;
        Map<String, Golden.Entry> tar = Golden.untarGz(Golden.goldenFile("mini-v2-repo.tar.gz"));
        repoDir = tmp.resolve("mini-v2-repo");
        Golden.extract(tar, "mini-v2-repo", repoDir);
        files = new java.util.TreeMap<>();
        tar.forEach((name, e) -> {
            if (e.type() == '0') {
                files.put(name.substring("mini-v2-repo/".length()), e.body());
            }
        });
        repo = Repository.open(new LocalBackend(repoDir), "test123", RepositoryOptions.defaults());
        repo.loadIndex();
    }

    @AfterAll
    void close() throws Exception {
        if (repo != null) {
            repo.close();
        }
    }

    @Test
    void archiveHoldsExactlyTheSixFilesOfTheSpecification() {
        assertEquals(List.of("config", "data/a5/" + DATA_PACK_ID, "data/f2/" + TREE_PACK_ID, "index/" + INDEX_ID,
                "keys/" + KEY_ID, "snapshots/" + SNAPSHOT_ID), new ArrayList<>(files.keySet()));
        assertArrayEquals(HEX.parseHex(CONFIG_HEX), files.get("config"));
        assertArrayEquals(HEX.parseHex(SNAPSHOT_HEX), files.get("snapshots/" + SNAPSHOT_ID));
        assertArrayEquals(HEX.parseHex(INDEX_HEX), files.get("index/" + INDEX_ID));
        assertArrayEquals(HEX.parseHex(DATA_PACK_HEX), files.get("data/a5/" + DATA_PACK_ID));
        assertArrayEquals(HEX.parseHex(TREE_PACK_HEX), files.get("data/f2/" + TREE_PACK_ID));
        assertEquals(439, files.get("keys/" + KEY_ID).length);
    }

    @Test
    void everyFileButConfigHashesToItsName() {
        files.forEach((path, bytes) -> {
            if (!path.equals("config")) {
                assertEquals(path.substring(path.lastIndexOf('/') + 1), Id.hash(bytes).hex(), path);
            }
        });
    }

    @Test
    void configDecodesToTheSpecifiedFields() throws Exception {
        Config c = repo.config();
        assertEquals(2, c.version());
        assertEquals("b002f26d91d8b263c580401400b016e4191a0a4f916a524942d2d0f73ecf9fda", c.id());
        assertEquals("2d14de679a197f", c.chunkerPolynomial().toHex());
        byte[] plain = repo.key().open(repo.backend().load(Handle.CONFIG));
        // the config is never compressed, even in v2: 155 bytes = 32 + 123 bytes of raw JSON
        assertEquals(CONFIG_JSON, new String(plain, StandardCharsets.UTF_8));
        assertArrayEquals(plain, c.toJson());
        assertEquals(c, Config.parse(plain));
    }

    @Test
    void snapshotDecodesToTheSpecifiedFieldsAndReencodesByteForByte() throws Exception {
        byte[] stored = repo.key().open(files.get("snapshots/" + SNAPSHOT_ID));
        assertEquals(2, stored[0], "v2 unpacked files start with the version byte 2");
        assertEquals("28b52ffd", HEX.formatHex(stored, 1, 5), "then a zstd frame");
        byte[] json = repo.loadUnpacked(FileType.SNAPSHOT, Id.parse(SNAPSHOT_ID));
        assertEquals(SNAPSHOT_JSON, new String(json, StandardCharsets.UTF_8));

        List<Snapshot> all = Snapshots.loadAll(repo);
        assertEquals(1, all.size());
        Snapshot s = all.get(0);
        assertEquals(Id.parse(SNAPSHOT_ID), s.id());
        assertEquals(OffsetDateTime.of(2026, 11, 21, 4, 55, 4, 646_631_646, ZoneOffset.UTC), s.time());
        assertEquals(Id.parse(TREE_ID), s.tree());
        assertEquals(List.of("/db.sql"), s.paths());
        assertEquals("hostA", s.hostname());
        assertEquals("root", s.username());
        assertNull(s.parent());
        assertEquals(List.of(), s.tags());
        assertEquals(0, s.uid());
        assertArrayEquals(json, s.toJson());
        assertEquals(s, Snapshots.find(repo, "310ef6af", SnapshotFilter.ALL));
        assertEquals(s, Snapshots.find(repo, "latest", SnapshotFilter.ALL));
    }

    @Test
    void indexDecodesToTheSpecifiedEntriesAndReencodesByteForByte() throws Exception {
        byte[] json = repo.loadUnpacked(FileType.INDEX, Id.parse(INDEX_ID));
        assertEquals(INDEX_JSON, new String(json, StandardCharsets.UTF_8));
        List<PackEntry> packs = IndexFile.decode(json, INDEX_ID);
        assertEquals(List.of(
                new PackEntry(Id.parse(DATA_PACK_ID), List.of(new PackedBlob(BlobType.DATA, Id.parse(DATA_BLOB_ID), 0, 55, 14))),
                new PackEntry(Id.parse(TREE_PACK_ID), List.of(new PackedBlob(BlobType.TREE, Id.parse(TREE_ID), 0, 211, 283)))),
                packs);
        assertArrayEquals(json, IndexFile.encode(packs));
        assertEquals(1, repo.index().blobCount(BlobType.DATA));
        assertEquals(1, repo.index().blobCount(BlobType.TREE));
        assertEquals(Id.parse(TREE_PACK_ID), repo.index().lookup(BlobType.TREE, Id.parse(TREE_ID)).packId());
    }

    @Test
    void treeBlobIsByteIdenticalAndRoundTripsThroughTreeCodec() throws Exception {
        byte[] plain = repo.loadBlob(BlobType.TREE, Id.parse(TREE_ID));
        assertEquals(283, plain.length);
        assertEquals(TREE_JSON, new String(plain, StandardCharsets.UTF_8));
        assertEquals(TREE_ID, Id.hash(plain).hex());
        List<Node> nodes = TreeCodec.decode(plain, "55e27385");
        assertEquals(1, nodes.size());
        Node n = nodes.get(0);
        assertArrayEquals("db.sql".getBytes(StandardCharsets.UTF_8), n.name());
        assertEquals(NodeType.FILE, n.type());
        assertEquals(420, n.mode());
        OffsetDateTime t = OffsetDateTime.of(2026, 11, 21, 4, 55, 4, 646_631_646, ZoneOffset.UTC);
        assertEquals(t, n.mtime());
        assertEquals(t, n.atime());
        assertEquals(t, n.ctime());
        assertEquals(14, n.size());
        assertEquals(List.of(Id.parse(DATA_BLOB_ID)), n.content());
        assertNull(n.subtree());
        assertArrayEquals(plain, TreeCodec.encode(nodes));
    }

    @Test
    void packHeadersGiveTheSpecifiedEntries() {
        byte[] dataPack = files.get("data/a5/" + DATA_PACK_ID);
        assertEquals(List.of(new PackedBlob(BlobType.DATA, Id.parse(DATA_BLOB_ID), 0, 55, 14)),
                PackFormat.readHeader(dataPack, repo.key(), DATA_PACK_ID));
        byte[] treePack = files.get("data/f2/" + TREE_PACK_ID);
        assertEquals(List.of(new PackedBlob(BlobType.TREE, Id.parse(TREE_ID), 0, 211, 283)),
                PackFormat.readHeader(treePack, repo.key(), TREE_PACK_ID));
        // trailer 0x49 = 73 = 41-byte header entry + 32 bytes of crypto overhead
        assertEquals("49000000", HEX.formatHex(dataPack, dataPack.length - 4, dataPack.length));
        byte[] header = repo.key().open(dataPack, 55, 73);
        assertEquals(DATA_PACK_HEADER_PLAIN, HEX.formatHex(header));
        assertEquals(dataPack.length, PackFormat.packSize(PackFormat.readHeader(dataPack, repo.key(), "a5")));
        assertEquals(treePack.length, PackFormat.packSize(PackFormat.readHeader(treePack, repo.key(), "f2")));
    }

    @Test
    void dataBlobIsAZstdFrameOfStdinContent() throws Exception {
        byte[] payload = repo.key().open(files.get("data/a5/" + DATA_PACK_ID), 0, 55);
        assertEquals("28b52ffd", HEX.formatHex(payload, 0, 4));
        assertEquals("stdin content\n", new String(repo.loadBlob(BlobType.DATA, Id.parse(DATA_BLOB_ID)), StandardCharsets.UTF_8));
    }

    @Test
    void dumperWritesTheFileContent() throws Exception {
        Snapshot s = Snapshots.find(repo, "latest", SnapshotFilter.ALL);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(14, new Dumper(repo).dump(s, "/db.sql", out));
        assertEquals("stdin content\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        new Dumper(repo).dump(s, "db.sql", out);
        assertEquals("stdin content\n", out.toString(StandardCharsets.UTF_8));
        SnapshotNotFoundException e = assertThrows(SnapshotNotFoundException.class,
                () -> new Dumper(repo).dump(s, "/nope.sql", new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("/nope.sql") && e.getMessage().contains("310ef6af"), e.getMessage());
    }

    @Test
    void restoreWritesTheFileWithItsMetadata() throws Exception {
        Path target = tmp.resolve("restore");
        Snapshot s = Snapshots.find(repo, SNAPSHOT_ID, SnapshotFilter.ALL);
        RestoreResult r = new Restorer(repo, RestoreOptions.defaults(), new RestoreProgress()).restore(s, target);
        assertEquals(1, r.files());
        assertEquals(14, r.bytes());
        try (Stream<Path> list = Files.list(target)) {
            assertEquals(List.of(target.resolve("db.sql")), list.toList());
        }
        Path f = target.resolve("db.sql");
        assertEquals("stdin content\n", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)));
        assertEquals(OffsetDateTime.of(2026, 11, 21, 4, 55, 4, 646_631_646, ZoneOffset.UTC).toInstant(),
                Files.getLastModifiedTime(f).toInstant());
    }

    @Test
    void openingDoesNotWriteToTheRepository() throws Exception {
        List<String> now = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(repoDir)) {
            walk.filter(Files::isRegularFile).forEach(p -> now.add(repoDir.relativize(p).toString()));
        }
        now.sort(null);
        assertEquals(new ArrayList<>(files.keySet()), now);
        for (String name : now) {
            assertTrue(Arrays.equals(files.get(name), Files.readAllBytes(repoDir.resolve(name))), name);
        }
    }
}
