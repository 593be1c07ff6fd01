package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line is for terminals only. Standard streams here are never terminals, so a
 * backup or restore that runs longer than the progress interval (half a second) must print only
 * its normal summary: no carriage returns, no ANSI escapes, nothing on standard error.
 */
class ProgressOutputTest {
    @TempDir
    static Path tmp;

    private static Path src;
    private static Cli cli;

    @BeforeAll
    static void repositoryAndALargeFile() throws IOException {
        src = tmp.resolve("src");
        Files.createDirectories(src);
        // random data, so that chunking, compressing, encrypting and writing take longer than the
        // progress interval (about a second for 40 MiB on the 2-core machines this project runs on)
        Random random = new Random(3);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(src.resolve("large.bin"))) {
            for (int i = 0; i < 40; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        for (int i = 0; i < 200; i++) {
            Cli.write(src.resolve("small/" + i + ".txt"), "file " + i + "\n");
        }
        cli = Cli.forRepository(tmp.resolve("repo"));
        cli.ok("init", "-q");
    }

    private static void assertNoTerminalControl(Cli.Run r) {
        for (String stream : List.of(r.out(), r.err())) {
            assertFalse(stream.contains("\r"), "no carriage return:\n" + stream);
            assertFalse(stream.contains("\033"), "no ANSI escape:\n" + stream);
        }
        assertEquals("", r.err());
    }

    @Test
    void backupAndRestorePrintOnlyTheirSummaries() {
        Cli.Run backup = cli.ok("backup", src.toString());
        assertNoTerminalControl(backup);
        List<String> lines = backup.outLines();
        assertEquals(6, lines.size(), backup.out());
        assertTrue(lines.get(0).startsWith("Files:  "), backup.out());
        assertTrue(lines.get(1).startsWith("Dirs:  "), backup.out());
        assertTrue(lines.get(2).startsWith("Added to the repository: "), backup.out());
        assertEquals("", lines.get(3));
        assertTrue(lines.get(4).startsWith("processed 201 files, "), backup.out());
        assertTrue(lines.get(5).matches("snapshot [0-9a-f]{8} saved"), backup.out());

        Cli.Run restore = cli.ok("restore", "latest", "--target", tmp.resolve("restored").toString());
        assertNoTerminalControl(restore);
        lines = restore.outLines();
        assertEquals(2, lines.size(), restore.out());
        assertTrue(lines.get(0).startsWith("restoring <Snapshot "), restore.out());
        assertTrue(lines.get(1).startsWith("restored 201 files and "), restore.out());
    }

    @Test
    void summarySaysWhatWentWithDirectIoAndNoDirectIoTurnsItOff() throws IOException {
        cli.ok("-q", "backup", src.toString());
        Path large = src.resolve("large.bin");
        Path direct = tmp.resolve("direct");
        Cli.Run restore = cli.ok("restore", "latest", "--target", direct.toString());
        // the 40 MiB file goes direct in whole 4 KiB blocks, the small files through the page cache
        assertTrue(restore.outLines().get(1).matches("restored 201 files and \\d+ directories, [0-9.]+ MiB "
                + "\\(3\\d\\.\\d{3} MiB with direct I/O\\) in .*"), restore.out());
        assertEquals(-1, Files.mismatch(large, direct.resolve(large.toString().substring(1))));

        Path buffered = tmp.resolve("buffered");
        restore = cli.ok("restore", "latest", "--no-direct-io", "--target", buffered.toString());
        assertFalse(restore.out().contains("direct I/O"), restore.out());
        assertEquals(-1, Files.mismatch(large, buffered.resolve(large.toString().substring(1))));
    }

    @Test
    void quietPrintsNothing() {
        Cli.Run backup = cli.ok("-q", "backup", src.toString());
        assertEquals("", backup.out());
        assertEquals("", backup.err());
        Cli.Run restore = cli.ok("restore", "--quiet", "latest", "--exclude", "large.bin", "--target",
                tmp.resolve("quiet").toString());
        assertEquals("", restore.out());
        assertEquals("", restore.err());
        assertTrue(Files.isRegularFile(tmp.resolve("quiet").resolve(src.resolve("small/7.txt").toString().substring(1))));
        assertFalse(Files.exists(tmp.resolve("quiet").resolve(src.resolve("large.bin").toString().substring(1))));
    }

    @Test
    void jsonPrintsOnlyJson() {
        Cli.Run backup = cli.ok("backup", "--json", src.toString());
        assertNoTerminalControl(backup);
        assertEquals(1, backup.outLines().size(), backup.out());
        assertEquals("summary", Json.object(backup.out()).get("message_type"));
        Cli.Run restore = cli.ok("restore", "--json", "latest", "--exclude", "large.bin", "--target",
                tmp.resolve("json").toString());
        assertNoTerminalControl(restore);
        assertEquals(1, restore.outLines().size(), restore.out());
        assertEquals("summary", Json.object(restore.out()).get("message_type"));
    }
}
