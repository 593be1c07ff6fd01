package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stowage check}: restic's output lines, errors on stderr naming the file, exit codes. */
class CheckCommandTest {
    @TempDir
    Path tmp;

    private Path repoWithSnapshot() {
        Path repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("file.txt"), "content\n");
        Cli.forRepository(repo).ok("init");
        Cli.forRepository(repo).ok("backup", "-q", src.toString());
        return repo;
    }

    private static List<Path> packs(Path repo) throws IOException {
        try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aCleanRepositoryHasNoErrors() throws Exception {
        Path repo = repoWithSnapshot();
        Cli.Run r = Cli.forRepository(repo).ok("check", "--read-data");
        assertEquals(List.of("create exclusive lock for repository", "load indexes", "check all packs",
                "check snapshots, trees and blobs", "read all data", "no errors were found"), r.outLines());
        assertEquals("", r.err());
        assertTrue(Cli.forRepository(repo).ok("check", "-q").out().isEmpty());
        Cli.Run subset = Cli.forRepository(repo).ok("check", "--read-data-subset", "1/1");
        assertTrue(subset.out().contains("read group #1 of 2 data packs (out of total 2 packs in 1 groups)"), subset.out());
        Restic.run(repo, tmp, "check", "--read-data");
        try (Stream<Path> locks = Files.list(repo.resolve("locks"))) {
            assertEquals(0, locks.count(), "the exclusive lock is removed");
        }
    }

    @Test
    void errorsAreListedOnStandardErrorAndExitWithOne() throws Exception {
        Path repo = repoWithSnapshot();
        Path pack = packs(repo).get(0);
        Files.delete(pack);
        String name = repo.relativize(pack).toString();
        Cli.Run r = Cli.forRepository(repo).run("check");
        r.assertExit(1);
        List<String> err = r.err().lines().toList();
        assertTrue(err.get(0).startsWith("error: " + name + ": pack " + name + " does not exist"), r.err());
        assertEquals("Fatal: repository contains errors", err.get(err.size() - 1));
        assertTrue(!r.out().contains("no errors were found"), r.out());
    }

    @Test
    void hintsDoNotFailTheCheck() throws Exception {
        Path repo = repoWithSnapshot();
        byte[] junk = "not a pack".getBytes();
        String hex = dev.stowage.engine.Id.hash(junk).hex();
        Path orphan = repo.resolve("data").resolve(hex.substring(0, 2)).resolve(hex);
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, junk);
        Cli.Run r = Cli.forRepository(repo).ok("check");
        assertTrue(r.out().contains("hint: data/" + hex.substring(0, 2) + "/" + hex + ": pack is not referenced in any index"),
                r.out());
        assertTrue(r.out().endsWith("no errors were found\n"), r.out());
    }

    @Test
    void leftoverTemporaryFilesAreWarningsAndPruneRemovesThemOnceOld() throws Exception {
        Path repo = repoWithSnapshot();
        Path old = repo.resolve("data/00/tmp-killed1");
        Files.write(old, new byte[12_345]);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        Path fresh = repo.resolve("data/01/tmp-writing");
        Files.write(fresh, new byte[10]);
        Cli.Run r = Cli.forRepository(repo).ok("check");
        assertTrue(r.out().contains("warning: data/00/tmp-killed1: leftover temporary file of an interrupted write (12345 bytes"),
                r.out());
        assertTrue(r.out().contains("warning: data/01/tmp-writing: "), r.out());
        assertTrue(r.out().endsWith("no errors were found\n"), r.out());
        assertEquals("", r.err());

        Cli.Run p = Cli.forRepository(repo).ok("prune");
        assertTrue(p.out().contains("temporary:             1 files / 12.056 KiB"), p.out());
        assertTrue(p.out().contains("removing 1 leftover temporary files"), p.out());
        assertTrue(!Files.exists(old) && Files.exists(fresh));
        Restic.run(repo, tmp, "check", "--read-data");
    }

    @Test
    void anInvalidSubsetIsRefused() {
        Path repo = repoWithSnapshot();
        Cli.Run r = Cli.forRepository(repo).run("check", "--read-data-subset", "4/3");
        r.assertExit(1);
        assertTrue(r.err().startsWith("stowage: --read-data-subset 4/3"), r.err());
    }
}
