package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors a person can act on: one line on standard error starting with "stowage: ", no stack
 * trace unless --verbose, and restic's exit codes.
 */
class ErrorsTest {
    @TempDir
    static Path shared;

    /** A repository with one snapshot, for the cases that only read. */
    private static Path repo;
    private static Path src;

    @TempDir
    Path tmp;

    @BeforeAll
    static void repositoryWithOneSnapshot() {
        repo = shared.resolve("repo");
        src = shared.resolve("src");
        Cli.write(src.resolve("file.txt"), "content\n");
        Cli.forRepository(repo).ok("init");
        Cli.forRepository(repo).ok("backup", "-q", src.toString());
    }

    /** Asserts the run failed with {@code code} and exactly one error line, and returns that line. */
    private static String oneErrorLine(Cli.Run r, int code) {
        r.assertExit(code);
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr:\n" + r.err());
        assertTrue(r.err().endsWith("\n"), "the line is terminated");
        assertTrue(lines.get(0).startsWith("stowage: "), lines.get(0));
        return lines.get(0);
    }

    @Test
    void wrongPasswordExits12() {
        Cli wrong = Cli.forRepository(repo).env("STOWAGE_PASSWORD", "not the password");
        for (String[] command : List.of(new String[] {"snapshots"}, new String[] {"backup", src.toString()},
                new String[] {"cat", "config"})) {
            assertEquals("stowage: wrong password: the password does not unlock this repository key",
                    oneErrorLine(wrong.run(command), StowageCommand.EXIT_WRONG_PASSWORD));
        }
    }

    @Test
    void notARepositoryExits10() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        String line = oneErrorLine(Cli.forRepository(empty).run("snapshots"), StowageCommand.EXIT_NO_REPOSITORY);
        assertEquals("stowage: no repository at " + empty + " (config file not found); create one with 'init'", line);
        Path missing = tmp.resolve("missing");
        line = oneErrorLine(Cli.forRepository(missing).run("backup", src.toString()), StowageCommand.EXIT_NO_REPOSITORY);
        assertTrue(line.contains("no repository at " + missing), line);
        assertFalse(Files.exists(missing), "a failed command does not create the repository directory");
    }

    @Test
    void lockedRepositoryExits11NamingTheHolder() throws Exception {
        Path locked = tmp.resolve("locked");
        Cli cli = Cli.forRepository(locked);
        cli.ok("init");
        Identity holder = new Identity("alice", "elsewhere.example", 4242);
        try (Repository r = Repository.open(new LocalBackend(locked), Cli.PASSWORD, RepositoryOptions.defaults());
             LockHandle lock = new Locker(r, holder).lock(true)) {
            String line = oneErrorLine(cli.run("backup", src.toString()), StowageCommand.EXIT_LOCKED);
            assertTrue(line.contains("already locked"), line);
            assertTrue(line.contains("PID 4242"), line);
            assertTrue(line.contains("on elsewhere.example"), line);
            assertTrue(line.contains("by alice"), line);
            assertTrue(line.contains(GoTime.format(lock.lock().time())), line);
            // reading commands take a shared lock, which an exclusive lock excludes too
            oneErrorLine(cli.run("snapshots"), StowageCommand.EXIT_LOCKED);
        }
        cli.ok("backup", "-q", src.toString());
    }

    @Test
    void missingSnapshotExits1() {
        Cli cli = Cli.forRepository(repo);
        for (String command : List.of("ls", "restore", "dump")) {
            List<String> args = switch (command) {
                case "restore" -> List.of(command, "deadbeef", "--target", tmp.resolve("t").toString());
                case "dump" -> List.of(command, "deadbeef", "/file.txt");
                default -> List.of(command, "deadbeef");
            };
            assertEquals("stowage: no snapshot with ID deadbeef in the repository",
                    oneErrorLine(cli.run(args.toArray(String[]::new)), StowageCommand.EXIT_FATAL));
        }
        String line = oneErrorLine(cli.run("ls", "latest", "--host", "no-such-host"), StowageCommand.EXIT_FATAL);
        assertEquals("stowage: no snapshot found matching the host/tag/path filter", line);
        line = oneErrorLine(cli.run("ls", "not-hex"), StowageCommand.EXIT_FATAL);
        assertTrue(line.contains("invalid snapshot ID \"not-hex\""), line);
    }

    @Test
    void latestOnAnEmptyRepositoryExits1() {
        Cli cli = Cli.forRepository(tmp.resolve("fresh"));
        cli.ok("init");
        assertEquals("stowage: no snapshot found", oneErrorLine(cli.run("ls", "latest"), StowageCommand.EXIT_FATAL));
        assertEquals("stowage: no snapshot found",
                oneErrorLine(cli.run("restore", "latest", "--target", tmp.resolve("t").toString()), StowageCommand.EXIT_FATAL));
        assertEquals("stowage: no snapshot found", oneErrorLine(cli.run("dump", "latest", "/x"), StowageCommand.EXIT_FATAL));
    }

    @Test
    void restoreIntoANonEmptyTargetExits1() throws Exception {
        Path target = tmp.resolve("target");
        Cli.write(target.resolve("already-here"), "x");
        String line = oneErrorLine(Cli.forRepository(repo).run("restore", "latest", "--target", target.toString()),
                StowageCommand.EXIT_FATAL);
        assertEquals("stowage: target directory " + target + " is not empty: restore into an empty or new directory", line);
        assertEquals(List.of(target.resolve("already-here")), Files.list(target).toList(), "nothing was written");
    }

    @Test
    void backupOfAMissingPathFailsNamingIt() {
        Path missing = tmp.resolve("does-not-exist");
        String line = oneErrorLine(Cli.forRepository(repo).run("backup", missing.toString()), StowageCommand.EXIT_FATAL);
        assertTrue(line.contains(missing.toString()), line);
        assertTrue(line.contains("does not exist"), line);
    }

    @Test
    void unsupportedRepositoryTypeFailsNamingIt() {
        for (String location : List.of("azure:container:/repo", "sftp:user@host:/srv/repo", "rest:http://localhost:8000/")) {
            String scheme = location.substring(0, location.indexOf(':'));
            String line = oneErrorLine(Cli.forRepository(tmp).env("STOWAGE_REPOSITORY", location).run("snapshots"),
                    StowageCommand.EXIT_FATAL);
            assertEquals("stowage: repository type \"" + scheme + "\" is not supported by this build; use a local path, local:PATH, s3:... or gs:...",
                    line);
        }
    }

    @Test
    void initOverAnExistingRepositoryFails() {
        String line = oneErrorLine(Cli.forRepository(repo).run("init"), StowageCommand.EXIT_FATAL);
        assertEquals("stowage: a repository already exists at " + repo, line);
    }

    @Test
    void packSizeOutOfRangeIsRefused() {
        // 4112 MiB once wrapped around to 16 MiB when shifted to bytes, and was accepted
        for (String mib : List.of("3", "129", "4112", "-1")) {
            assertEquals("stowage: --pack-size must be between 4 and 128 (MiB)",
                    oneErrorLine(Cli.forRepository(repo).run("--pack-size", mib, "backup", src.toString()),
                            StowageCommand.EXIT_FATAL), mib);
        }
        Cli.forRepository(repo).ok("--pack-size", "4", "backup", "-q", src.toString());
    }

    @Test
    void readConcurrencyBelowOneIsRefused() {
        assertEquals("stowage: --read-concurrency must be at least 1",
                oneErrorLine(Cli.forRepository(repo).run("backup", "--read-concurrency", "0", src.toString()),
                        StowageCommand.EXIT_FATAL));
    }

    @Test
    void unknownOptionIsAUsageErrorWithoutStackTrace() {
        Cli.Run r = Cli.forRepository(repo).run("snapshots", "--no-such-option");
        assertNotEquals(0, r.code());
        assertFalse(r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains("--no-such-option"), r.err());
    }

    @Test
    void verbosePrintsTheStackTraceThenTheLine() {
        Cli.Run r = Cli.forRepository(repo).env("STOWAGE_PASSWORD", "not the password").run("--verbose", "snapshots");
        r.assertExit(StowageCommand.EXIT_WRONG_PASSWORD);
        assertTrue(r.err().contains("WrongPasswordException"), r.err());
        assertTrue(r.err().contains("\tat dev.stowage."), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals("stowage: wrong password: the password does not unlock this repository key", lines.get(lines.size() - 1));
    }
}
