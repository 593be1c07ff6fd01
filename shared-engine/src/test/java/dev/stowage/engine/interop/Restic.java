package dev.stowage.engine.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the real restic binary against one repository: always with {@code --no-cache}, the
 * password in {@code RESTIC_PASSWORD} and {@code -r <repository>}. Failures carry restic's output.
 */
final class Restic {
    private static final long TIMEOUT_SECONDS = 180;

    private final String repo;
    private final String password;
    private final Map<String, String> env;

    Restic(Path repo, String password) {
        this(repo.toString(), password, Map.of());
    }

    /** A repository named as restic names it (e.g. {@code s3:http://host:port/bucket}), with extra environment (credentials). */
    Restic(String repository, String password, Map<String, String> env) {
        this.repo = repository;
        this.password = password;
        this.env = Map.copyOf(env);
    }

    /** restic on the PATH, or Debian's /usr/bin/restic; the suite needs the real binary (bin/test installs it). */
    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "restic"))) {
                return Path.of(dir, "restic").toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/restic"))) {
            return "/usr/bin/restic";
        }
        return fail("restic is not installed: the interoperability tests run the real binary (bin/test installs it)");
    }

    /** The outcome of one restic run. */
    record Result(List<String> command, int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String describe() {
            String o = out();
            if (o.length() > 4000) {
                o = o.substring(0, 4000) + "... (" + stdout.length + " bytes)";
            }
            return String.join(" ", command) + " exited " + exit + "\n--- stdout:\n" + o + "\n--- stderr:\n" + stderr;
        }
    }

    /** Runs restic with {@code args} in {@code cwd}, feeding {@code stdin} (or nothing). */
    Result run(Path cwd, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary(), "--no-cache", "-r", repo));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("RESTIC_"));
        environment.putAll(env);
        environment.put("RESTIC_PASSWORD", password);
        environment.put("LC_ALL", "C.UTF-8");
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return fail(String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s; stderr:\n"
                        + new String(err.join(), StandardCharsets.UTF_8));
            }
            return new Result(cmd, p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts restic without waiting, e.g. to hold a lock while it reads a pipe. */
    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary(), "--no-cache", "-r", repo));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("RESTIC_"));
        pb.environment().putAll(env);
        pb.environment().put("RESTIC_PASSWORD", password);
        return pb.start();
    }

    /** Reads a stream to its end on its own thread (the common pool may have a single thread here). */
    private static CompletableFuture<byte[]> drain(InputStream s) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (s) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                s.transferTo(b);
                f.complete(b.toByteArray());
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        }, "restic-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Runs restic and fails unless it exits 0. */
    Result ok(Path cwd, byte[] stdin, String... args) {
        Result r = run(cwd, stdin, args);
        assertEquals(0, r.exit(), () -> "restic failed:\n" + r.describe());
        return r;
    }

    Result ok(String... args) {
        return ok(null, null, args);
    }

    /** {@code restic check --read-data} must find no errors, and print no hints or warnings either. */
    void checkReadData() {
        Result r = run(null, null, "check", "--read-data");
        assertEquals(0, r.exit(), () -> "restic check --read-data failed:\n" + r.describe());
        assertTrue(r.out().contains("no errors were found"), () -> "restic check did not say so:\n" + r.describe());
        assertTrue(r.stderr().isBlank(), () -> "restic check complained:\n" + r.describe());
        for (String line : r.out().split("\n")) {
            String l = line.toLowerCase(java.util.Locale.ROOT);
            assertTrue(!l.contains("hint") && !l.contains("warn") && (!l.contains("error") || l.equals("no errors were found")),
                    () -> "restic check remarked on something:\n" + r.describe());
        }
    }
}
