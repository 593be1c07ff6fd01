package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command once, through the CLI, on a real repository. */
class RoundTripTest {
    private static final Pattern SAVED = Pattern.compile("(?m)^snapshot ([0-9a-f]{8}) saved$");

    @TempDir
    Path tmp;

    @Test
    void initBackupListRestoreDumpAndCatConfig() throws Exception {
        Path repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "hello\n");
        Cli.write(src.resolve("empty"), "");
        Cli.write(src.resolve("sub/b.txt"), "in a subdirectory\n");
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("sub/big.bin"), big);
        Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
        Cli cli = Cli.forRepository(repo);

        Cli.Run init = cli.ok("init");
        assertTrue(init.out().startsWith("created restic repository "), init.out());
        assertTrue(Files.isRegularFile(repo.resolve("config")), "init writes the config file");

        Cli.Run backup = cli.ok("backup", src.toString());
        Matcher saved = SAVED.matcher(backup.out());
        assertTrue(saved.find(), backup.out());
        String shortId = saved.group(1);
        assertTrue(backup.out().contains("Files:           4 new,     0 changed,     0 unmodified"), backup.out());
        assertEquals("", backup.err());

        Cli.Run snapshots = cli.ok("snapshots");
        assertTrue(snapshots.out().contains(shortId), snapshots.out());
        assertTrue(snapshots.out().contains(src.toString()), snapshots.out());
        assertTrue(snapshots.out().endsWith("1 snapshots\n"), snapshots.out());

        List<String> ls = cli.ok("ls", shortId).outLines();
        assertTrue(ls.get(0).startsWith("snapshot " + shortId + " of [" + src + "]"), ls.get(0));
        String s = src.toString();
        assertEquals(List.of(s + "/a.txt", s + "/empty", s + "/link", s + "/sub", s + "/sub/b.txt", s + "/sub/big.bin"),
                ls.stream().filter(l -> l.startsWith(s + "/")).toList());
        List<String> longListing = cli.ok("ls", "latest", "-l").outLines();
        assertTrue(longListing.stream().anyMatch(l -> l.startsWith("L") && l.endsWith(s + "/link")), String.join("\n", longListing));
        assertTrue(longListing.stream().anyMatch(l -> l.startsWith("d") && l.endsWith(s + "/sub")), String.join("\n", longListing));

        Path target = tmp.resolve("restored");
        Cli.Run restore = cli.ok("restore", "latest", "--target", target.toString());
        assertTrue(restore.out().startsWith("restoring <Snapshot " + shortId), restore.out());
        // like restic, a restore recreates the snapshot's absolute paths under the target
        Path back = target.resolve(src.toString().substring(1));
        assertEquals("hello\n", Files.readString(back.resolve("a.txt")));
        assertEquals(0, Files.size(back.resolve("empty")));
        assertEquals("in a subdirectory\n", Files.readString(back.resolve("sub/b.txt")));
        assertArrayEquals(big, Files.readAllBytes(back.resolve("sub/big.bin")));
        assertTrue(Files.isSymbolicLink(back.resolve("link")));
        assertEquals(Path.of("a.txt"), Files.readSymbolicLink(back.resolve("link")));

        byte[] dumpData = new byte[2_500_000]; // several chunks
        new Random(11).nextBytes(dumpData);
        Cli.Run stdin = cli.runWithInput(dumpData, "backup", "--stdin", "--stdin-filename", "db.sql").assertExit(0);
        Matcher stdinSaved = SAVED.matcher(stdin.out());
        assertTrue(stdinSaved.find(), stdin.out());
        assertArrayEquals(dumpData, cli.ok("dump", stdinSaved.group(1), "/db.sql").outBytes());
        assertArrayEquals(dumpData, cli.ok("dump", "latest", "db.sql").outBytes());
        assertTrue(cli.ok("snapshots").out().endsWith("2 snapshots\n"));

        Map<String, Object> config = Json.object(cli.ok("cat", "config").out());
        assertEquals(2L, config.get("version"));
        assertTrue(((String) config.get("id")).matches("[0-9a-f]{64}"), config.toString());
        assertTrue(((String) config.get("chunker_polynomial")).matches("[0-9a-f]+"), config.toString());
    }
}
