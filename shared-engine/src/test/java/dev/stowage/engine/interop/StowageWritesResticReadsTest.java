package dev.stowage.engine.interop;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.chunker.Chunker;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.restorer.Dumper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repositories written by Stowage, read by restic 0.14: {@code check --read-data} finds no
 * errors, {@code snapshots}, {@code ls}, {@code restore} and {@code dump} see exactly what was
 * backed up. One run per repository format (v2 with each compression mode, and v1).
 */
class StowageWritesResticReadsTest {
    /** A stream larger than two maximum-size chunks, half incompressible, half text. */
    private static final int STREAM_SIZE = 20_000_000;

    @TempDir
    static Path shared;
    static Path source;
    static byte[] stream;

    @BeforeAll
    static void createSource() throws IOException {
        source = SourceTree.create(shared.resolve("src"));
        stream = TestData.mixed(7, STREAM_SIZE / 2, 1 << 20, STREAM_SIZE / 2 - (1 << 20));
    }

    @ParameterizedTest
    @EnumSource(RepoVariant.class)
    void resticReadsWhatStowageWrote(RepoVariant variant, @TempDir Path tmp) throws IOException {
        Path repoDir = tmp.resolve("repo");
        Snapshot dirSnap;
        Snapshot streamSnap;
        List<BlobLocation> dataBlobs;
        try (StowageRepo s = StowageRepo.init(repoDir, variant.version, variant.compression)) {
            BackupResult dir = s.backup(StowageRepo.options("interop", variant.name()), source);
            BackupResult st = s.backupStream(StowageRepo.options("stream"), new ByteArrayInputStream(stream), "interop/db.sql");
            dirSnap = dir.snapshot();
            streamSnap = st.snapshot();
            assertEquals(STREAM_SIZE, st.summary().totalBytesProcessed());
            dataBlobs = s.blobs(BlobType.DATA);
            int chunks = new Dumper(s.repository()).find(streamSnap, "/interop/db.sql").content().size();
            // each repository has its own random polynomial, so only the max-size bound is certain
            int atLeast = (STREAM_SIZE + Chunker.MAX_SIZE - 1) / Chunker.MAX_SIZE;
            assertTrue(chunks >= atLeast, "the stream should span at least " + atLeast + " chunks, got " + chunks);
        }
        assertCompression(variant, dataBlobs);

        Restic restic = new Restic(repoDir, StowageRepo.PASSWORD);
        Map<String, Object> config = Json.object(Json.parse(restic.ok("cat", "config").out()));
        assertEquals((long) variant.version, config.get("version"), "restic reads the repository version");

        // the whole repository is consistent, every pack and blob verified
        restic.checkReadData();

        // restic lists both snapshots with our host, tags and paths
        List<Object> snaps = Json.array(Json.parse(restic.ok("snapshots", "--json").out()));
        assertEquals(2, snaps.size(), () -> "snapshots: " + snaps);
        assertSnapshotListed(snaps, dirSnap, List.of("interop", variant.name()), List.of(source.toString()));
        assertSnapshotListed(snaps, streamSnap, List.of("stream"), List.of("/interop/db.sql"));

        // restic ls lists exactly the backed-up entries
        assertEquals(expectedLsPaths(), lsPaths(restic, dirSnap), "restic ls of the directory snapshot");
        assertEquals(new TreeSet<>(List.of("/interop", "/interop/db.sql")), lsPaths(restic, streamSnap));

        // restic restore reproduces the tree exactly
        Path target = tmp.resolve("restored");
        restic.ok("restore", dirSnap.id().hex(), "--target", target.toString());
        FsTree.assertSame(source, target.resolve(source.toString().substring(1)));

        // restic dump of the stream snapshot gives back the input bytes
        byte[] dumped = restic.ok("dump", streamSnap.id().hex(), "/interop/db.sql").stdout();
        assertEquals(stream.length, dumped.length, "restic dump length");
        assertArrayEquals(sha256(stream), sha256(dumped), "restic dump content");
        // restic finds files by odd names in our trees (quoted names, and one that sorts differently in UTF-16)
        for (String name : List.of("we\"ird\\name", "new\nline", "z\uD83D\uDE00")) {
            byte[] content = restic.ok("dump", dirSnap.id().hex(), source + "/" + name).stdout();
            assertArrayEquals(Files.readAllBytes(source.resolve(name)), content, name);
        }
    }

    /** Data blobs are compressed in v2 unless compression is off (the text parts always compress). */
    private static void assertCompression(RepoVariant variant, List<BlobLocation> dataBlobs) {
        long compressed = dataBlobs.stream().filter(b -> b.blob().compressed()).count();
        if (variant.version == 1 || variant.compression == Compression.OFF) {
            assertEquals(0, compressed, "compressed data blobs in " + variant);
        } else {
            assertTrue(compressed > 0, "no compressed data blobs in " + variant);
        }
    }

    private static void assertSnapshotListed(List<Object> snaps, Snapshot ours, List<String> tags, List<String> paths) {
        Map<String, Object> found = snaps.stream().map(Json::object)
                .filter(m -> ours.id().hex().equals(m.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("restic does not list snapshot " + ours.id() + ": " + snaps));
        assertEquals(StowageRepo.HOST, found.get("hostname"));
        assertEquals(tags, found.get("tags"));
        assertEquals(paths, found.get("paths"));
        assertEquals(ours.tree().hex(), found.get("tree"));
    }

    static Set<String> lsPaths(Restic restic, Snapshot snap) {
        Set<String> paths = new TreeSet<>();
        List<Map<String, Object>> lines = Json.lines(restic.ok("ls", "--json", snap.id().hex()).out());
        assertEquals("snapshot", lines.get(0).get("struct_type"));
        for (Map<String, Object> node : lines.subList(1, lines.size())) {
            paths.add((String) node.get("path"));
        }
        return paths;
    }

    /**
     * What restic ls should print for the directory snapshot: the source's ancestors and every
     * entry, names decoded as Go's JSON encoder does (an invalid byte becomes U+FFFD).
     */
    private static Set<String> expectedLsPaths() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (Path p = source; p.getParent() != null; p = p.getParent()) {
            expected.add(p.toString());
        }
        for (String key : FsTree.scan(source).entries().keySet()) {
            if (!key.isEmpty()) {
                expected.add(source + "/" + new String(key.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        return expected;
    }

    static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
