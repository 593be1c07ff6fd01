package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code stowage} in-process through {@link StowageCommand#execute}, with an environment of
 * the test's own (never the JVM's) and captured standard streams.
 */
final class Cli {
    static final String PASSWORD = "correct horse battery staple";

    private final Map<String, String> env = new HashMap<>();

    /** A CLI with no environment at all: repository and password must come from flags. */
    static Cli bare() {
        return new Cli();
    }

    /** A CLI whose environment names {@code repo} and the test password, as most tests want. */
    static Cli forRepository(Path repo) {
        return new Cli().env("STOWAGE_REPOSITORY", repo.toString()).env("STOWAGE_PASSWORD", PASSWORD);
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Run run(String... args) {
        return runWithInput(new byte[0], args);
    }

    Run runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = StowageCommand.execute(Map.copyOf(env), new ByteArrayInputStream(stdin), out, errStream, args);
        }
        return new Run(List.of(args), code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed and returns its result. */
    Run ok(String... args) {
        Run r = run(args);
        r.assertExit(0);
        return r;
    }

    /** The outcome of one command: exit code, standard output bytes, standard error text. */
    record Run(List<String> args, int code, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        List<String> outLines() {
            return out().lines().toList();
        }

        Run assertExit(int expected) {
            assertEquals(expected, code, () -> "exit code of stowage " + String.join(" ", args) + "\n--- stdout:\n"
                    + out() + "--- stderr:\n" + err);
            return this;
        }
    }

    /** Writes a file, creating parent directories. */
    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
