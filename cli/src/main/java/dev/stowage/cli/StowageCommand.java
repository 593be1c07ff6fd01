package dev.stowage.cli;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.crypto.WrongPasswordException;
import dev.stowage.engine.lock.RepositoryLockedException;
import dev.stowage.engine.repository.NoRepositoryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stowage}: restic-compatible backup repositories from the command line. */
@Command(name = "stowage", mixinStandardHelpOptions = true, version = StowageCommand.VERSION,
        description = "Backs up and restores files in restic-compatible repositories.")
public final class StowageCommand implements Runnable {
    static final String VERSION = "stowage 0.1.0";

    /** The subcommands, in the order the usage message lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(InitCommand.class, BackupCommand.class,
            SnapshotsCommand.class, LsCommand.class, RestoreCommand.class, DumpCommand.class, CatCommand.class,
            ForgetCommand.class, CheckCommand.class, PruneCommand.class, UnlockCommand.class, KeyCommand.class,
            VersionCommand.class);

    /** Exit codes restic (0.17+) uses for the same situations. */
    static final int EXIT_FATAL = 1;
    static final int EXIT_INCOMPLETE = 3;
    static final int EXIT_NO_REPOSITORY = 10;
    static final int EXIT_LOCKED = 11;
    static final int EXIT_WRONG_PASSWORD = 12;

    @Mixin
    GlobalOptions global;

    final Map<String, String> env;
    final InputStream in;
    final OutputStream rawOut;
    final PrintStream out;
    final PrintStream err;

    StowageCommand(Map<String, String> env, InputStream in, OutputStream rawOut, PrintStream err) {
        this.env = env;
        this.in = in;
        this.rawOut = rawOut;
        this.out = new PrintStream(rawOut, false, StandardCharsets.UTF_8);
        this.err = err;
    }

    /** The global options, with the environment attached. */
    GlobalOptions options() {
        global.env = env;
        global.err = err;
        return global;
    }

    @Override
    public void run() {
        commandLine(this).usage(out);
    }

    /**
     * The command line for {@code args}. picocli builds its model of a command from the
     * annotations, which takes a cold JVM about 10 ms per subcommand, so only the subcommands
     * named in {@code args} are added (all of them when none is: usage, unknown commands). An
     * option value that happens to be a command's name only adds that command too.
     */
    private static CommandLine commandLine(StowageCommand root, String... args) {
        CommandLine cl = new CommandLine(root);
        List<String> words = Arrays.asList(args);
        List<Class<?>> named = SUBCOMMANDS.stream()
                .filter(c -> words.contains(c.getAnnotation(Command.class).name()))
                .toList();
        for (Class<?> c : named.isEmpty() ? SUBCOMMANDS : named) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /**
     * Runs a command line and returns its exit code. The environment and the three standard
     * streams are parameters so that callers (and tests) can run commands in-process.
     */
    public static int execute(Map<String, String> env, InputStream in, OutputStream out, PrintStream err,
                              String... args) {
        StowageCommand root = new StowageCommand(env, in, out, err);
        CommandLine cl = commandLine(root, args);
        cl.setOut(new java.io.PrintWriter(root.out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            root.out.flush();
            boolean verbose = root.global != null && root.global.verbose;
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.println("stowage: " + message(ex));
            return exitCode(ex);
        });
        int code = cl.execute(args);
        root.out.flush();
        return code;
    }

    private static String message(Exception ex) {
        if (ex instanceof StowageException) {
            return ex.getMessage();
        }
        if (ex instanceof java.nio.file.NoSuchFileException e) {
            return e.getFile() + ": no such file or directory";
        }
        if (ex instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (ex instanceof IOException) {
            return ex.getMessage() == null ? ex.toString() : ex.getMessage();
        }
        return ex.toString();
    }

    private static int exitCode(Exception ex) {
        if (ex instanceof NoRepositoryException) {
            return EXIT_NO_REPOSITORY;
        }
        if (ex instanceof RepositoryLockedException) {
            return EXIT_LOCKED;
        }
        if (ex instanceof WrongPasswordException) {
            return EXIT_WRONG_PASSWORD;
        }
        return EXIT_FATAL;
    }

    public static void main(String[] args) {
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        OutputStream out = new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16);
        int code = execute(System.getenv(), System.in, out, err, args);
        System.exit(code);
    }
}
