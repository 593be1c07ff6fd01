package dev.stowage.engine.restorer;

import dev.stowage.engine.fs.DirectIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Direct writes of aligned ranges, and the way back to the page cache when they are refused. */
class DirectWriterTest {
    @TempDir
    Path tmp;

    private final byte[] data = new byte[3 << 20];

    DirectWriterTest() {
        new Random(5).nextBytes(data);
    }

    @Test
    void alignedRangesGoDirectAndLandWhereAsked() throws Exception {
        DirectWriter w = new DirectWriter(DirectIo.in(tmp));
        Path f = tmp.resolve("f");
        // out of order and across the 1 MiB buffer, as restore workers write blobs
        assertTrue(w.write(f, data, 1 << 20, (2 << 20) - 8192, 1 << 20));
        assertTrue(w.write(f, data, 0, 1 << 20, 0));
        assertEquals((3 << 20) - 8192, w.bytes());
        byte[] back = Files.readAllBytes(f);
        assertArrayEquals(Arrays.copyOf(data, (3 << 20) - 8192), back);
    }

    @Test
    void aRefusedWriteSaysSoAndEveryLaterOneGoesThroughTheCache() throws Exception {
        // 512-byte alignment on a file system that wants 4 KiB: the JDK refuses position 512, as a
        // file system without direct I/O refuses every write
        DirectWriter w = new DirectWriter(DirectIo.withAlignment(512));
        Path f = tmp.resolve("f");
        assertFalse(w.write(f, data, 0, 4096, 512));
        assertFalse(w.write(f, data, 0, 4096, 0), "refused once, the writer no longer tries");
        assertEquals(0, w.bytes());
    }
}
