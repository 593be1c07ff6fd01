package dev.stowage.engine.backend;

import dev.stowage.engine.Id;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local backend: restic's layout and file modes, atomic saves, listing that skips debris. */
class LocalBackendTest {
    @TempDir
    Path tmp;
    private Path root;
    private LocalBackend backend;

    /** Most tests skip create(): saves make their directory on demand (256 data/xx dirs per test are slow). */
    @BeforeEach
    void backendOnAnEmptyDirectory() {
        root = tmp.resolve("repo");
        backend = new LocalBackend(root);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Handle handle(FileType type, byte[] content) {
        return new Handle(type, Id.hash(content).hex());
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private List<String> allFiles() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void createMakesResticsLayoutWithPrivateDirectories() throws Exception {
        backend.create();
        for (String d : List.of("keys", "snapshots", "index", "locks", "data", "data/00", "data/7f", "data/ff")) {
            assertTrue(Files.isDirectory(root.resolve(d)), d);
            assertEquals("rwx------", mode(root.resolve(d)), d);
        }
        try (Stream<Path> s = Files.list(root.resolve("data"))) {
            assertEquals(256, s.count());
        }
        assertEquals(List.of(), allFiles());
        backend.save(Handle.CONFIG, utf8("cfg"));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> backend.create());
        assertTrue(e.getMessage().contains("config"), e.getMessage());
    }

    @Test
    void saveIsAtomicLeavesNoTemporaryFileAndMakesTheFileReadOnly() throws Exception {
        byte[] data = utf8("snapshot bytes");
        Handle h = handle(FileType.SNAPSHOT, data);
        backend.save(h, data);
        Path file = root.resolve("snapshots").resolve(h.name());
        assertArrayEquals(data, Files.readAllBytes(file));
        assertEquals("r--------", mode(file));
        assertEquals(List.of("snapshots/" + h.name()), allFiles());
        backend.save(Handle.CONFIG, utf8("config bytes"));
        assertEquals("r--------", mode(root.resolve("config")));
        assertArrayEquals(utf8("config bytes"), backend.load(Handle.CONFIG));
    }

    @Test
    void packsGoToTheirTwoDigitSubdirectoryWhichIsCreatedOnDemand() throws Exception {
        byte[] pack = utf8("pack bytes");
        Handle h = handle(FileType.PACK, pack);
        assertEquals("data/" + h.name().substring(0, 2) + "/" + h.name(), h.path());
        assertFalse(Files.exists(root.resolve("data")));
        backend.save(h, pack);
        assertArrayEquals(pack, Files.readAllBytes(root.resolve(h.path())));
        assertEquals("rwx------", mode(root.resolve("data").resolve(h.name().substring(0, 2))));
        assertEquals(List.of(h.name()), backend.list(FileType.PACK));
    }

    @Test
    void concurrentSavesLeaveOnlyCompleteFiles() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Handle>> saves = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = utf8("index " + i + " ".repeat(i * 100));
            saves.add(pool.submit(() -> {
                Handle h = handle(FileType.INDEX, data);
                backend.save(h, data);
                return h;
            }));
        }
        for (Future<Handle> f : saves) {
            Handle h = f.get();
            assertEquals(Id.parse(h.name()), Id.hash(backend.load(h)));
        }
        pool.shutdown();
        assertEquals(40, backend.list(FileType.INDEX).size());
        assertTrue(allFiles().stream().noneMatch(f -> f.contains("-tmp-")), allFiles().toString());
    }

    @Test
    void listSkipsNamesThatAreNotIds() throws Exception {
        byte[] a = utf8("a");
        byte[] b = utf8("b");
        backend.save(handle(FileType.SNAPSHOT, a), a);
        backend.save(handle(FileType.PACK, b), b);
        String id = Id.hash(a).hex();
        // debris of an interrupted save (ours or restic's), and other strays
        Files.writeString(root.resolve("snapshots").resolve(id + "-tmp-xyz"), "partial");
        Files.writeString(root.resolve("snapshots").resolve(id.substring(1)), "63 digits");
        Files.writeString(root.resolve("snapshots").resolve("README"), "hello");
        Files.writeString(root.resolve("snapshots").resolve(id.substring(0, 63) + "g"), "not hex");
        Files.writeString(root.resolve("data").resolve(Id.hash(utf8("stray")).hex()), "pack outside a subdirectory");
        Path sub = root.resolve("data").resolve(Id.hash(b).hex().substring(0, 2));
        Files.writeString(sub.resolve(Id.hash(b).hex() + "-tmp-123"), "partial pack");
        assertEquals(List.of(id), backend.list(FileType.SNAPSHOT));
        assertEquals(List.of(Id.hash(b).hex()), backend.list(FileType.PACK));
        assertEquals(List.of(), backend.list(FileType.KEY));
        assertEquals(List.of(), backend.list(FileType.CONFIG));
        assertEquals(List.of(), new LocalBackend(tmp.resolve("nothing-here")).list(FileType.INDEX));
    }

    @Test
    void loadsWholeFilesAndRanges() throws Exception {
        byte[] data = utf8("0123456789abcdef");
        Handle h = handle(FileType.PACK, data);
        backend.save(h, data);
        assertArrayEquals(data, backend.load(h));
        assertArrayEquals(utf8("0123"), backend.load(h, 0, 4));
        assertArrayEquals(utf8("789a"), backend.load(h, 7, 4));
        assertArrayEquals(utf8("cdef"), backend.load(h, 12, 4));
        assertArrayEquals(new byte[0], backend.load(h, 16, 0));
        assertEquals(16, backend.size(h));
        assertTrue(backend.exists(h));
        EOFException e = assertThrows(EOFException.class, () -> backend.load(h, 12, 5));
        assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains("file has 16"), e.getMessage());
        assertThrows(EOFException.class, () -> backend.load(h, 100, 1));
    }

    /**
     * Packs are written and large ranges read with direct I/O in aligned blocks (ext4 here takes
     * it); the bytes are the same as through the page cache, for ranges that start and end
     * anywhere, and a range past the end still names the file.
     */
    @Test
    void largePacksReadBackTheSameWithAndWithoutDirectIo() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 12345];
        new Random(7).nextBytes(data);
        Handle h = handle(FileType.PACK, data);
        for (boolean direct : new boolean[] {true, false}) {
            LocalBackend b = new LocalBackend(tmp.resolve("repo-" + direct), direct);
            try (Backend.PendingFile f = b.create(FileType.PACK)) {
                // odd sizes, so the aligned staging buffer fills in the middle of a write
                for (int off = 0; off < data.length; ) {
                    int n = Math.min(data.length - off, 100_003 + off % 7);
                    f.write(data, off, n);
                    off += n;
                }
                assertEquals(data.length, f.size());
                f.commit(h);
            }
            assertEquals(direct, b.usesDirectIo());
            assertEquals("r--------", mode(b.root().resolve(h.path())));
            assertArrayEquals(data, b.load(h));
            long[][] ranges = {{0, 300_000}, {4095, 1_048_577}, {1_000_001, 2_000_000}, {data.length - 262_145, 262_145}};
            for (long[] r : ranges) {
                assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])), b.load(h, r[0], (int) r[1]),
                        "direct " + direct + ", range " + Arrays.toString(r));
            }
            EOFException e = assertThrows(EOFException.class, () -> b.load(h, data.length - 262_144, 262_145));
            assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains("file has " + data.length),
                    e.getMessage());
            assertEquals(direct, b.usesDirectIo(), "direct reads were not refused");
        }
    }

    @Test
    void refusedDirectIoFallsBackToThePageCache() throws Exception {
        byte[] data = new byte[1024 * 1024 + 777];
        new Random(8).nextBytes(data);
        Handle h = handle(FileType.PACK, data);
        // 512-byte alignment where the JDK wants 4 KiB: it refuses the buffers (512-aligned
        // addresses) and the 512-aligned read positions, as a file system without direct I/O
        // refuses everything; the pack is still written whole and read back right
        LocalBackend b = new LocalBackend(root, dev.stowage.engine.fs.DirectIo.withAlignment(512));
        try (Backend.PendingFile f = b.create(FileType.PACK)) {
            f.write(data, 0, data.length);
            f.commit(h);
        }
        assertEquals(data.length, Files.size(b.root().resolve(h.path())));
        assertTrue(b.usesDirectIo());
        assertArrayEquals(Arrays.copyOfRange(data, 1536, 1536 + 300_000), b.load(h, 1536, 300_000));
        assertFalse(b.usesDirectIo(), "refused once, reads go through the page cache");
        assertArrayEquals(Arrays.copyOfRange(data, 5000, 5000 + 262_144), b.load(h, 5000, 262_144));
        assertArrayEquals(data, b.load(h));
    }

    @Test
    void missingFilesRaiseNotFoundNamingThem() throws Exception {
        Handle h = handle(FileType.INDEX, utf8("never saved"));
        for (var call : List.<ThrowingCall>of(() -> backend.load(h), () -> backend.load(h, 0, 1), () -> backend.size(h),
                () -> backend.remove(h))) {
            NotFoundException e = assertThrows(NotFoundException.class, call::run);
            assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains(root.toString()), e.getMessage());
        }
        assertFalse(backend.exists(h));
        assertThrows(NotFoundException.class, () -> backend.load(Handle.CONFIG));
    }

    @Test
    void removeDeletesTheFile() throws Exception {
        byte[] data = utf8("lock");
        Handle h = handle(FileType.LOCK, data);
        backend.save(h, data);
        backend.remove(h);
        assertFalse(backend.exists(h));
        assertEquals(List.of(), backend.list(FileType.LOCK));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
