package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup killed with SIGKILL at random moments (a pod that is evicted) never damages the
 * repository: after each kill the next backup and a prune succeed without a manual unlock (the
 * dead process's lock is recognised as stale and removed), and restic 0.14's
 * {@code check --read-data} passes. Runs the real {@code bin/stowage} process, so it is an integration test.
 */
class CrashSafetyIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SCRIPT = ROOT.resolve("bin/stowage");
    private static final int TRIALS = 10;

    @TempDir
    Path tmp;

    @Test
    void killedBackupsNeverDamageTheRepository() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Map<String, String> env = Map.of("STOWAGE_PASSWORD", "pw", "RESTIC_PASSWORD", "pw");
        assertEquals(0, run(env, "-q", "-r", repo.toString(), "init").exitValue());
        // time one uninterrupted backup of a trial-sized increment, so kills land inside a backup
        // however fast this machine is
        writeData(src.resolve("calibration"), random);
        long started = System.nanoTime();
        assertEquals(0, run(env, "-q", "-r", repo.toString(), "backup", src.toString()).exitValue());
        long fullMs = Math.max(300, (System.nanoTime() - started) / 1_000_000);
        int killedMidway = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            writeData(src.resolve("t" + trial), random);
            Process backup = start(env, "-q", "-r", repo.toString(), "backup", src.toString());
            // anywhere from JVM start-up to the final snapshot write
            long delayMs = fullMs / 10 + (long) (random.nextDouble() * fullMs * 0.8);
            boolean finished = backup.waitFor(delayMs, TimeUnit.MILLISECONDS);
            if (!finished) {
                // SIGKILL the JVM itself, not just the launcher script
                backup.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                backup.destroyForcibly();
                backup.waitFor(30, TimeUnit.SECONDS);
                killedMidway++;
            }
            String context = "trial " + trial + " (seed " + seed + ", kill after " + delayMs + " of ~" + fullMs + " ms)";

            Process next = run(env, "-q", "-r", repo.toString(), "backup", src.toString());
            assertEquals(0, next.exitValue(), context + ": the next backup must succeed without unlock: " + stderr(next));
            Process prune = run(env, "-q", "-r", repo.toString(), "prune");
            assertEquals(0, prune.exitValue(), context + ": prune must succeed without unlock: " + stderr(prune));
            ProcessBuilder pb = new ProcessBuilder("restic", "--no-cache", "-r", repo.toString(), "check", "--read-data")
                    .redirectErrorStream(true);
            pb.environment().putAll(env);
            Process check = pb.start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(check.waitFor(300, TimeUnit.SECONDS), context + ": restic check timed out");
            assertEquals(0, check.exitValue(), context + ": restic check failed:\n" + out);
            assertTrue(out.contains("no errors were found"), context + ":\n" + out);
        }
        assertTrue(killedMidway >= TRIALS / 2, "most trials must really kill a running backup (seed " + seed
                + "): " + killedMidway + " of " + TRIALS);
    }

    private static void writeData(Path dir, Random random) throws IOException {
        Files.createDirectories(dir);
        byte[] big = new byte[12 << 20];
        random.nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        for (int i = 0; i < 200; i++) {
            byte[] small = new byte[random.nextInt(20_000)];
            random.nextBytes(small);
            Files.write(dir.resolve("f" + i), small);
        }
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static Process run(Map<String, String> env, String... args) throws Exception {
        Process p = start(env, args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "stowage " + String.join(" ", args) + " timed out");
        return p;
    }

    private static String stderr(Process p) throws IOException {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
