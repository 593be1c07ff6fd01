package dev.stowage.engine.interop;

import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.restorer.Dumper;
import dev.stowage.engine.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repositories written by restic 0.14, read by Stowage: the golden v1 and v2 repositories
 * (compared with their manifests), and repositories restic creates during the test in every
 * format, restored by Stowage and compared entry by entry with the source.
 */
class ResticWritesStowageReadsTest {
    private static final String GOLDEN_PASSWORD = "golden-pw";
    private static final Instant GOLDEN_MTIME = Instant.parse("2021-03-04T05:06:07.123456789Z");
    private static final int STREAM_SIZE = 3_000_000;

    @TempDir
    static Path shared;
    static Path source;
    static byte[] stream;

    @BeforeAll
    static void createSource() throws IOException {
        source = SourceTree.create(shared.resolve("src"));
        stream = TestData.mixed(11, STREAM_SIZE / 2, 0, STREAM_SIZE / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1repo", "v2repo"})
    void stowageRestoresTheGoldenRepository(String name, @TempDir Path tmp) throws IOException {
        Path archive = SharedData.dir().resolve("restic-golden/restic-0.14-golden-repos.tar.gz");
        assertTrue(Files.isRegularFile(archive), "golden data missing: " + archive);
        Path repoDir = tmp.resolve(name);
        assertTrue(SharedData.extract(archive, name + "/", repoDir) > 0);
        Map<String, byte[]> originals = SharedData.untarGz(archive);

        try (StowageRepo s = StowageRepo.open(repoDir, GOLDEN_PASSWORD)) {
            List<Snapshot> snaps = s.snapshots();
            assertEquals(2, snaps.size());
            Snapshot dir = snaps.get(0);
            Snapshot dump = snaps.get(1);
            assertEquals(List.of("/srv/golden/src"), dir.paths());
            assertEquals(List.of("golden"), dir.tags());
            assertEquals("goldenhost", dir.hostname());
            assertEquals(OffsetDateTime.parse("2022-01-02T03:04:05Z"), dir.time());
            assertEquals(List.of("/dump.sql"), dump.paths());
            String expectedDir = name.equals("v1repo") ? "4442e333" : "693f6a7f";
            assertEquals(expectedDir, dir.id().shortHex());

            Path target = tmp.resolve("restored");
            s.restore(dir, target);
            Path src = target.resolve("srv/golden/src");
            assertEquals(Set.of("empty.txt", "hello.txt", "link", "sub", "we\"ird\\name"), names(src));
            assertEquals(Set.of("counter.bin"), names(src.resolve("sub")));

            assertArrayEquals("hello world\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(src.resolve("hello.txt")));
            assertArrayEquals(originals.get("src/hello.txt"), Files.readAllBytes(src.resolve("hello.txt")));
            assertEquals(0, Files.size(src.resolve("empty.txt")));
            assertArrayEquals(new byte[] {'x'}, Files.readAllBytes(src.resolve("we\"ird\\name")));
            assertEquals(Path.of("hello.txt"), Files.readSymbolicLink(src.resolve("link")));
            byte[] counter = Files.readAllBytes(src.resolve("sub/counter.bin"));
            assertEquals(1_280_000, counter.length);
            assertArrayEquals(counterBin(), counter);

            FsTree tree = FsTree.scan(src);
            for (String p : List.of("", "empty.txt", "hello.txt", "link", "sub", "sub/counter.bin", "we\"ird\\name")) {
                FsTree.Entry e = tree.get(p);
                assertEquals(GOLDEN_MTIME, e.mtime(), "mtime of " + p);
                if (!e.type().equals("symlink")) {
                    assertEquals(e.type().equals("dir") ? 0755 : 0644, e.permissions(), "mode of " + p);
                }
            }

            Dumper dumper = new Dumper(s.repository());
            Node node = dumper.find(dump, "/dump.sql");
            assertEquals(NodeType.FILE, node.type());
            assertEquals(14, node.size());
            assertArrayEquals("stdin content\n".getBytes(StandardCharsets.UTF_8), s.dump(dump, "/dump.sql"));
            assertArrayEquals(counterBin(), s.dump(dir, "/srv/golden/src/sub/counter.bin"));
        }
    }

    @ParameterizedTest
    @EnumSource(RepoVariant.class)
    void stowageRestoresWhatResticWrote(RepoVariant variant, @TempDir Path tmp) throws IOException {
        Path repoDir = tmp.resolve("repo");
        Restic restic = new Restic(repoDir, "restic-pw");
        restic.ok("init", "--repository-version", Integer.toString(variant.version));
        restic.ok(shared, null, "backup", "--compression", variant.resticCompression(), "--host", "restic-host",
                "--tag", "from-restic", "src");
        restic.ok(null, stream, "backup", "--compression", variant.resticCompression(), "--host", "restic-host",
                "--stdin", "--stdin-filename", "db/dump.sql");

        try (StowageRepo s = StowageRepo.open(repoDir, "restic-pw")) {
            assertEquals(variant.version, s.repository().config().version());
            List<Snapshot> snaps = s.snapshots();
            assertEquals(2, snaps.size());
            Snapshot dir = snaps.stream().filter(x -> x.paths().equals(List.of(source.toString()))).findFirst()
                    .orElseThrow(() -> new AssertionError("no snapshot of " + source + ": " + snaps));
            Snapshot dump = snaps.stream().filter(x -> x.paths().equals(List.of("/db/dump.sql"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no stdin snapshot: " + snaps));
            assertEquals("restic-host", dir.hostname());
            assertEquals(List.of("from-restic"), dir.tags());

            Path target = tmp.resolve("restored");
            s.restore(dir, target);
            FsTree.assertSame(source, target.resolve("src"));

            byte[] dumped = s.dump(dump, "/db/dump.sql");
            assertEquals(stream.length, dumped.length);
            assertArrayEquals(StowageWritesResticReadsTest.sha256(stream), StowageWritesResticReadsTest.sha256(dumped));
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        try (var s = Files.list(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    /** SHA-256(i as 8-byte little-endian) for i in 0..39999, concatenated. */
    private static byte[] counterBin() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream out = new ByteArrayOutputStream(1_280_000);
            ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < 40_000; i++) {
                le.clear();
                le.putLong(i);
                out.writeBytes(md.digest(le.array()));
            }
            return out.toByteArray();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
