package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real restic 0.14 (bin/test installs it), run on a repository the test made. */
final class Restic {
    private static final Path BINARY = Path.of("/usr/bin/restic");

    private Restic() {
    }

    /** Runs restic with the test password and returns its standard output; fails unless it exits 0. */
    static String run(Path repo, Path workDir, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BINARY), "restic is needed at " + BINARY + " (bin/test installs it)");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--no-cache", "-r", repo.toString()));
        command.addAll(List.of(args));
        Path errFile = Files.createTempFile("restic-stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(errFile.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RESTIC_"));
        pb.environment().put("RESTIC_PASSWORD", Cli.PASSWORD);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "restic finished");
            String err = Files.readString(errFile);
            assertEquals(0, p.exitValue(), () -> "exit code of restic " + String.join(" ", args) + "\n" + err);
            return out;
        } finally {
            p.destroyForcibly();
            Files.delete(errFile);
        }
    }
}
