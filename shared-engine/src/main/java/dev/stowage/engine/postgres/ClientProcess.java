package dev.stowage.engine.postgres;

import dev.stowage.engine.StowageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A PostgreSQL client program run as a child process, with the tail of its stderr kept for errors. */
final class ClientProcess implements AutoCloseable {
    private static final int STDERR_TAIL = 4096;

    private final String name;
    private final Process process;
    private final Thread stderrReader;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private ClientProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stderrReader = new Thread(this::drainStderr, name + "-stderr");
        this.stderrReader.setDaemon(true);
        this.stderrReader.start();
    }

    static ClientProcess start(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            return new ClientProcess(command.get(0), builder.start());
        } catch (IOException e) {
            throw new StowageException("cannot start " + command.get(0) + ": " + e.getMessage()
                    + " (is the PostgreSQL client installed?)", e);
        }
    }

    Process process() {
        return process;
    }

    String name() {
        return name;
    }

    /** Waits for the process; fails naming its exit status and the end of its stderr unless it exited 0. */
    void awaitSuccess() throws IOException {
        int status;
        try {
            status = process.waitFor();
            stderrReader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + name);
        }
        if (status != 0) {
            throw new IOException(name + " failed with exit status " + status + describeSignal(status) + stderrTail());
        }
    }

    /** The last few KiB of stderr, prefixed for appending to a message, or empty. */
    String stderrTail() {
        String text;
        synchronized (stderr) {
            text = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    private static String describeSignal(int status) {
        return status > 128 && status < 160 ? " (killed by signal " + (status - 128) + ")" : "";
    }

    private void drainStderr() {
        byte[] buf = new byte[1024];
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (stderr) {
                    stderr.write(buf, 0, n);
                    if (stderr.size() > 2 * STDERR_TAIL) {
                        byte[] all = stderr.toByteArray();
                        stderr.reset();
                        stderr.write(all, all.length - STDERR_TAIL, STDERR_TAIL);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone; what was read is kept
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
