package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line only builds the subcommands it is given, without changing what it accepts. */
class CommandLineTest {
    private static final String[] COMMANDS = {"init", "backup", "snapshots", "ls", "restore", "dump", "cat",
        "forget", "check", "prune", "unlock", "key", "version"};

    @Test
    void usageWithoutACommandListsEveryCommand() {
        for (Cli.Run run : new Cli.Run[] {Cli.bare().ok(), Cli.bare().ok("--help")}) {
            for (String command : COMMANDS) {
                assertTrue(run.out().contains("\n  " + command + " ") || run.out().contains("\n  " + command + "\n"),
                        command + " missing from:\n" + run.out());
            }
        }
    }

    @Test
    void anUnknownCommandIsRefusedAmongAllOfThem() {
        Cli.Run run = Cli.bare().run("bakcup");
        assertTrue(run.code() != 0, run.err());
        assertTrue(run.err().contains("bakcup"), run.err());
        assertTrue(run.err().contains("backup"), "picocli suggests the near miss among all commands: " + run.err());
    }

    @Test
    void anOptionValueNamedLikeACommandStaysAValue(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("repo");
        Cli cli = Cli.forRepository(repo);
        cli.ok("init");
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve("f"), "x");
        // "snapshots" is the value of --host here, not the command
        cli.ok("backup", "--host", "snapshots", data.toString());
        Cli.Run listed = cli.ok("snapshots", "--json");
        assertTrue(listed.out().contains("\"hostname\":\"snapshots\""), listed.out());
    }
}
