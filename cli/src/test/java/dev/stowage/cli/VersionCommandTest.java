package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code stowage version}, shaped like restic's, needs no repository. */
class VersionCommandTest {
    @Test
    void printsVersionJavaAndPlatform() {
        Cli.Run run = Cli.bare().ok("version");
        String line = run.out().strip();
        assertTrue(line.matches("stowage \\d+\\.\\d+\\.\\d+ running on Java \\S+ on linux/\\S+"), line);
        assertEquals("", run.err());
    }
}
