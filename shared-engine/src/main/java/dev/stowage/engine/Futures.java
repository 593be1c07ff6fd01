package dev.stowage.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** I/O work on other threads, with its {@link IOException}s delivered to whoever waits for it. */
public final class Futures {
    private Futures() {
    }

    /** Work that reads or writes and may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Runs {@code work} on {@code executor}; {@link #join} gives its IOException back. */
    public static <T> CompletableFuture<T> supplyAsync(IoSupplier<T> work, Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    /**
     * Waits for {@code future} and returns its value, or throws what its work threw: an
     * IOException as itself, as well as a RuntimeException; anything else stays wrapped.
     */
    public static <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
