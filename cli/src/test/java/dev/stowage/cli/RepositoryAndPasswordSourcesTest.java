package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the repository and the password come from, in restic's order: flags, then STOWAGE_*
 * variables, then RESTIC_* variables. Each case opens the repository with {@code cat config}, which
 * fails unless both the location and the password are right. The cases only read, so they share
 * one repository (an init costs a scrypt key derivation).
 */
class RepositoryAndPasswordSourcesTest {
    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path repo;
    private static Path missing;

    @BeforeAll
    static void createRepository() {
        repo = shared.resolve("repo");
        missing = shared.resolve("no-repo-here");
        Cli.bare().ok("-r", repo.toString(), "--password-file", Cli.write(shared.resolve("pw"), Cli.PASSWORD).toString(),
                "init");
    }

    private static Cli withPassword() {
        return Cli.bare().env("STOWAGE_PASSWORD", Cli.PASSWORD);
    }

    @Test
    void repositoryFromFlag() {
        withPassword().ok("-r", repo.toString(), "cat", "config");
        withPassword().ok("--repo", repo.toString(), "cat", "config");
    }

    @Test
    void repositoryFlagWinsOverVariables() {
        withPassword().env("STOWAGE_REPOSITORY", missing.toString()).env("RESTIC_REPOSITORY", missing.toString())
                .ok("-r", repo.toString(), "cat", "config");
    }

    @Test
    void repositoryFromStowageVariableBeforeResticVariable() {
        withPassword().env("STOWAGE_REPOSITORY", repo.toString()).ok("cat", "config");
        withPassword().env("STOWAGE_REPOSITORY", repo.toString()).env("RESTIC_REPOSITORY", missing.toString())
                .ok("cat", "config");
    }

    @Test
    void repositoryFromResticVariable() {
        withPassword().env("RESTIC_REPOSITORY", repo.toString()).ok("cat", "config");
    }

    @Test
    void localPrefix() {
        withPassword().ok("-r", "local:" + repo, "cat", "config");
        withPassword().env("STOWAGE_REPOSITORY", "local:" + repo).ok("cat", "config");
        withPassword().env("RESTIC_REPOSITORY", "local:" + repo).ok("cat", "config");
    }

    @Test
    void noRepositoryGiven() {
        Cli.Run r = withPassword().run("cat", "config");
        assertEquals(StowageCommand.EXIT_FATAL, r.code());
        assertEquals("stowage: no repository given: use -r/--repo or set STOWAGE_REPOSITORY\n", r.err());
    }

    @Test
    void compressionFromResticVariableOfTheGivenEnvironment() {
        Cli.Run r = withPassword().env("RESTIC_COMPRESSION", "weird").run("-r", repo.toString(), "cat", "config");
        assertEquals("stowage: invalid compression mode \"weird\": use auto, off or max\n", r.err());
        withPassword().env("RESTIC_COMPRESSION", "weird").ok("-r", repo.toString(), "--compression", "max", "cat", "config");
        withPassword().env("RESTIC_COMPRESSION", "off").ok("-r", repo.toString(), "cat", "config");
    }

    @Test
    void passwordFileIsTrimmedOfSurroundingWhitespace() {
        Path file = Cli.write(tmp.resolve("pw-with-newlines"), "  \t" + Cli.PASSWORD + " \n\n");
        Cli.bare().ok("-r", repo.toString(), "--password-file", file.toString(), "cat", "config");
        Cli.bare().env("STOWAGE_PASSWORD_FILE", file.toString()).ok("-r", repo.toString(), "cat", "config");
        Cli.bare().env("RESTIC_PASSWORD_FILE", file.toString()).ok("-r", repo.toString(), "cat", "config");
    }

    @Test
    void passwordFileFlagWinsOverVariables() {
        Path file = Cli.write(tmp.resolve("pw-file"), Cli.PASSWORD + "\n");
        Path wrongFile = Cli.write(tmp.resolve("wrong-file"), "wrong\n");
        Cli.bare().env("STOWAGE_PASSWORD", "wrong").env("RESTIC_PASSWORD", "wrong")
                .env("STOWAGE_PASSWORD_FILE", wrongFile.toString())
                .ok("-r", repo.toString(), "--password-file", file.toString(), "cat", "config");
    }

    @Test
    void passwordFromStowageVariableBeforeResticVariable() {
        Cli.bare().env("STOWAGE_PASSWORD", Cli.PASSWORD).env("RESTIC_PASSWORD", "wrong").ok("-r", repo.toString(), "cat", "config");
    }

    @Test
    void passwordFromResticVariable() {
        Cli.bare().env("RESTIC_PASSWORD", Cli.PASSWORD).ok("-r", repo.toString(), "cat", "config");
    }

    @Test
    void passwordVariablesBeforePasswordFileVariables() {
        Path wrongFile = Cli.write(tmp.resolve("wrong-file"), "wrong\n");
        Cli.bare().env("RESTIC_PASSWORD", Cli.PASSWORD).env("STOWAGE_PASSWORD_FILE", wrongFile.toString())
                .ok("-r", repo.toString(), "cat", "config");
    }

    @Test
    void passwordFromStowagePasswordFileVariable() {
        Path file = Cli.write(tmp.resolve("pw-file"), Cli.PASSWORD + "\n");
        Cli.bare().env("STOWAGE_PASSWORD_FILE", file.toString()).ok("-r", repo.toString(), "cat", "config");
    }

    @Test
    void passwordVariableIsUsedVerbatim() {
        // as in restic, only files are trimmed: a newline in the variable is part of the password
        Cli.Run r = Cli.bare().env("STOWAGE_PASSWORD", Cli.PASSWORD + "\n").run("-r", repo.toString(), "cat", "config");
        assertEquals(StowageCommand.EXIT_WRONG_PASSWORD, r.code(), r.err());
    }

    @Test
    void noPasswordGivenAndNoTerminal() {
        Cli.Run r = Cli.bare().run("-r", repo.toString(), "cat", "config");
        assertEquals(StowageCommand.EXIT_FATAL, r.code());
        assertEquals("stowage: no password given: use --password-file or set STOWAGE_PASSWORD\n", r.err());
    }

    @Test
    void missingOrEmptyPasswordFile() {
        Cli.Run missingFile = Cli.bare().run("-r", repo.toString(), "--password-file", tmp.resolve("nope").toString(), "cat", "config");
        assertEquals(StowageCommand.EXIT_FATAL, missingFile.code());
        assertTrue(missingFile.err().startsWith("stowage: password file ") && missingFile.err().contains("does not exist"),
                missingFile.err());
        Cli.Run directory = Cli.bare().run("-r", repo.toString(), "--password-file", tmp.toString(), "cat", "config");
        assertEquals("stowage: password file " + tmp + " is not a regular file\n", directory.err());
        Path blank = Cli.write(tmp.resolve("blank"), " \n");
        Cli.Run empty = Cli.bare().run("-r", repo.toString(), "--password-file", blank.toString(), "cat", "config");
        assertEquals(StowageCommand.EXIT_FATAL, empty.code());
        assertTrue(empty.err().contains("is empty"), empty.err());
    }
}
