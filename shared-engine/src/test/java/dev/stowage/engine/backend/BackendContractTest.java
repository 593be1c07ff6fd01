package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Backend} contract, asserted identically for every implementation: subclasses supply a
 * fresh, empty backend and a way to plant stray files that are not the backend's own.
 */
abstract class BackendContractTest {
    protected Backend backend;

    /** A new backend on an empty repository location. */
    protected abstract Backend newBackend() throws Exception;

    /** Writes raw bytes at {@code path} (relative to the repository root), bypassing the backend. */
    protected abstract void writeStray(String path, byte[] content) throws Exception;

    /**
     * Whether the storage under test answers a range that starts inside a file but runs past its
     * end with the bytes up to the end (every real one does); only then can a backend report it.
     */
    protected boolean rangesStopAtTheEnd() {
        return true;
    }

    @BeforeEach
    void openBackend() throws Exception {
        backend = newBackend();
    }

    @AfterEach
    void closeBackend() throws Exception {
        backend.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Handle handle(FileType type, byte[] content) {
        return new Handle(type, Id.hash(content).hex());
    }

    @Test
    void savesAndLoadsEveryFileType() throws Exception {
        backend.save(Handle.CONFIG, utf8("config bytes"));
        assertArrayEquals(utf8("config bytes"), backend.load(Handle.CONFIG));
        for (FileType t : List.of(FileType.KEY, FileType.SNAPSHOT, FileType.INDEX, FileType.LOCK, FileType.PACK)) {
            byte[] data = utf8("content of a " + t);
            Handle h = handle(t, data);
            backend.save(h, List.of(utf8("content "), utf8("of a "), utf8(t.toString())));
            assertArrayEquals(data, backend.load(h), t.toString());
            assertEquals(List.of(h.name()), backend.list(t), t.toString());
            assertTrue(backend.exists(h));
        }
        assertEquals(List.of(), backend.list(FileType.CONFIG));
    }

    @Test
    void createFailsOverAnExistingConfig() throws Exception {
        backend.create();
        backend.save(Handle.CONFIG, utf8("cfg"));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> backend.create());
        assertTrue(e.getMessage().contains("config"), e.getMessage());
    }

    @Test
    void loadsWholeFilesRangesAndSizes() throws Exception {
        byte[] data = utf8("0123456789abcdef");
        Handle h = handle(FileType.PACK, data);
        backend.save(h, data);
        assertArrayEquals(data, backend.load(h));
        assertArrayEquals(utf8("0123"), backend.load(h, 0, 4));
        assertArrayEquals(utf8("789a"), backend.load(h, 7, 4));
        assertArrayEquals(utf8("cdef"), backend.load(h, 12, 4));
        assertArrayEquals(new byte[0], backend.load(h, 16, 0));
        assertEquals(16, backend.size(h));
        if (rangesStopAtTheEnd()) {
            EOFException e = assertThrows(EOFException.class, () -> backend.load(h, 12, 5));
            assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains("file has 16"), e.getMessage());
        }
        EOFException e = assertThrows(EOFException.class, () -> backend.load(h, 100, 1));
        assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains("file has 16"), e.getMessage());
    }

    @Test
    void loadsRangesOfALargeFile() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        Handle h = handle(FileType.PACK, data);
        backend.save(h, data);
        assertEquals(data.length, backend.size(h));
        byte[] part = backend.load(h, (2 << 20) - 5, 1 << 20);
        for (int i = 0; i < part.length; i++) {
            if (part[i] != data[(2 << 20) - 5 + i]) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
    }

    @Test
    void listSkipsNamesThatAreNotIds() throws Exception {
        byte[] a = utf8("a");
        byte[] b = utf8("b");
        backend.save(handle(FileType.SNAPSHOT, a), a);
        backend.save(handle(FileType.PACK, b), b);
        String id = Id.hash(a).hex();
        String packId = Id.hash(b).hex();
        writeStray("snapshots/" + id + "-tmp-xyz", utf8("partial"));
        writeStray("snapshots/" + id.substring(1), utf8("63 digits"));
        writeStray("snapshots/README", utf8("hello"));
        writeStray("snapshots/" + id.substring(0, 63) + "g", utf8("not hex"));
        writeStray("data/" + Id.hash(utf8("stray")).hex(), utf8("pack outside a subdirectory"));
        writeStray("data/" + packId.substring(0, 2) + "/" + packId + "-tmp-123", utf8("partial pack"));
        assertEquals(List.of(id), backend.list(FileType.SNAPSHOT));
        assertEquals(List.of(packId), backend.list(FileType.PACK));
        assertEquals(List.of(), backend.list(FileType.KEY));
        assertEquals(List.of(), backend.list(FileType.CONFIG));
    }

    @Test
    void missingFilesRaiseNotFoundNamingThem() throws Exception {
        Handle h = handle(FileType.INDEX, utf8("never saved"));
        List<ThrowingCall> calls = List.of(() -> backend.load(h), () -> backend.load(h, 0, 1), () -> backend.size(h),
                () -> backend.remove(h));
        for (ThrowingCall call : calls) {
            NotFoundException e = assertThrows(NotFoundException.class, call::run);
            assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains(backend.location()), e.getMessage());
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
        assertThrows(NotFoundException.class, () -> backend.load(h));
    }

    @Test
    void pendingFileIsInvisibleUntilCommitted() throws Exception {
        byte[] data = new byte[(1 << 20) + 123];
        new Random(1).nextBytes(data);
        Handle h = handle(FileType.PACK, data);
        try (Backend.PendingFile f = backend.create(FileType.PACK)) {
            f.write(data, 0, 1000);
            f.write(data, 1000, data.length - 1000);
            assertEquals(data.length, f.size());
            assertEquals(List.of(), backend.list(FileType.PACK));
            assertFalse(backend.exists(h));
            f.commit(h);
        }
        assertEquals(List.of(h.name()), backend.list(FileType.PACK));
        assertArrayEquals(data, backend.load(h));
        assertEquals(data.length, backend.size(h));
    }

    @Test
    void pendingFileClosedWithoutCommitLeavesNothing() throws Exception {
        byte[] data = utf8("abandoned pack");
        try (Backend.PendingFile f = backend.create(FileType.PACK)) {
            f.write(data, 0, data.length);
        }
        try (Backend.PendingFile f = backend.create(FileType.INDEX)) {
            f.write(data, 0, data.length);
        }
        assertEquals(List.of(), backend.list(FileType.PACK));
        assertEquals(List.of(), backend.list(FileType.INDEX));
        assertFalse(backend.exists(handle(FileType.PACK, data)));
    }

    @Test
    void concurrentSavesLeaveOnlyCompleteFiles() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int from = t * 10;
            Thread th = new Thread(() -> {
                try {
                    for (int i = from; i < from + 10; i++) {
                        byte[] data = utf8("index " + i + " ".repeat(i * 100));
                        backend.save(handle(FileType.INDEX, data), data);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), failures);
        List<String> names = backend.list(FileType.INDEX);
        assertEquals(40, names.size());
        for (String n : names) {
            assertEquals(Id.parse(n), Id.hash(backend.load(new Handle(FileType.INDEX, n))));
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }
}
