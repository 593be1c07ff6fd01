package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune}: flags, dry run, and a repository restic checks clean afterwards. */
class PruneCommandTest {
    @TempDir
    Path tmp;

    private static Map<String, Long> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            Map<String, Long> out = new TreeMap<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.size(p));
            }
            return out;
        }
    }

    @Test
    void pruneAfterForgetDryRunThenReal() throws Exception {
        Path repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Cli cli = Cli.forRepository(repo);
        cli.ok("init");
        byte[] big = new byte[200_000];
        new java.util.Random(5).nextBytes(big);
        Files.createDirectories(src);
        Files.write(src.resolve("old.bin"), big);
        cli.ok("backup", "-q", "--time", "2022-01-01 10:00:00", src.toString());
        Files.delete(src.resolve("old.bin"));
        Cli.write(src.resolve("new.txt"), "new\n");
        cli.ok("backup", "-q", "--time", "2022-01-02 10:00:00", src.toString());
        cli.ok("forget", "-l", "1");

        Map<String, Long> before = files(repo);
        Cli.Run dry = cli.ok("prune", "--dry-run", "--max-unused", "0");
        assertTrue(dry.out().contains("to delete:"), dry.out());
        assertTrue(dry.out().contains("dry run: nothing was changed"), dry.out());
        assertEquals(before, files(repo));

        cli.run("prune", "--max-unused", "nonsense").assertExit(1);
        cli.run("prune", "--max-repack-size", "x1").assertExit(1);

        Cli.Run r = cli.ok("prune", "--max-repack-size", "1G");
        assertTrue(r.out().contains("removing "), r.out());
        assertTrue(r.out().endsWith("done\n"), r.out());
        long sizeBefore = before.values().stream().mapToLong(Long::longValue).sum();
        long sizeAfter = files(repo).values().stream().mapToLong(Long::longValue).sum();
        assertTrue(sizeAfter < sizeBefore - 190_000, sizeBefore + " -> " + sizeAfter);
        Restic.run(repo, tmp, "check", "--read-data");
        assertEquals("", cli.ok("prune", "-q").out());
        cli.ok("check");
        assertEquals(List.of("new.txt"), List.of(cli.ok("ls", "latest").out().lines()
                .filter(l -> l.endsWith(".txt")).map(l -> Path.of(l).getFileName().toString()).toArray(String[]::new)));
    }
}
