package dev.stowage.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Redraws one status line on the terminal twice a second: files, bytes, rate and ETA.
 * Runs only while a command works and only on a terminal.
 */
final class Progress implements AutoCloseable {
    private final Thread thread;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private volatile boolean done;

    Progress(PrintStream out, String verb, LongSupplier filesDone, LongSupplier filesTotal,
             LongSupplier bytesDone, LongSupplier bytesTotal) {
        this.out = out;
        this.thread = new Thread(() -> {
            while (!done) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                double secs = (System.nanoTime() - started) / 1e9;
                long b = bytesDone.getAsLong();
                long total = bytesTotal.getAsLong();
                double rate = secs > 0 ? b / secs : 0;
                String eta = rate > 0 && total > b
                        ? " ETA " + Format.duration(Duration.ofSeconds((long) ((total - b) / rate))) : "";
                out.print("\r\033[K[" + Format.duration(Duration.ofSeconds((long) secs)) + "] " + verb + " "
                        + filesDone.getAsLong() + "/" + filesTotal.getAsLong() + " files, " + Format.bytes(b) + " / "
                        + Format.bytes(total) + ", " + Format.bytes((long) rate) + "/s" + eta);
                out.flush();
            }
        }, "progress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.print("\r\033[K");
        out.flush();
    }
}
