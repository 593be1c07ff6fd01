package dev.stowage.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FuturesTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void theValueOrWhatTheWorkThrewComesBack() throws Exception {
        assertEquals("done", Futures.join(Futures.supplyAsync(() -> "done", pool)));

        IOException io = new IOException("disk gone");
        assertSame(io, assertThrows(IOException.class, () -> Futures.join(Futures.supplyAsync(() -> {
            throw io;
        }, pool))));

        StowageException bad = new StowageException("damaged");
        assertSame(bad, assertThrows(StowageException.class, () -> Futures.join(Futures.supplyAsync(() -> {
            throw bad;
        }, pool))));
    }
}
