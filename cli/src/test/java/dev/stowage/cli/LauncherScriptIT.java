package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stowage} as a person runs it: a real process that starts the packaged jar. Runs in
 * the integration-test phase (after package, so the script finds an up-to-date jar and does not
 * build one); each run starts a JVM, so these are few.
 */
class LauncherScriptIT {
    /** surefire runs in cli/, the module directory; the script is in the repository root. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SCRIPT = ROOT.resolve("bin/stowage");

    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    /** Runs {@code prefix... bin/stowage args...} with only the given STOWAGE_ and RESTIC_ variables. */
    private static Result run(Map<String, String> env, List<String> prefix, String... args)
            throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " is executable");
        assertTrue(Files.isRegularFile(ROOT.resolve("cli/target/stowage-cli.jar")),
                "the launcher tests run after package (mvn verify), when cli/target/stowage-cli.jar exists");
        List<String> command = new ArrayList<>(prefix);
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("STOWAGE_") || k.startsWith("RESTIC_"));
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Path errFile = Files.createTempFile("stowage-stderr", ".txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/stowage finished");
            return new Result(p.exitValue(), out, Files.readString(errFile));
        } finally {
            p.destroyForcibly();
            Files.delete(errFile);
        }
    }

    @Test
    void version() throws Exception {
        Result r = run(Map.of(), List.of(), "--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("stowage 0.1.0\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void initBackupSnapshotsThroughTheScript() throws Exception {
        Path repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "through the launcher\n");
        Cli.write(src.resolve("sub/b.txt"), "b\n");
        Map<String, String> env = Map.of("STOWAGE_REPOSITORY", repo.toString(), "STOWAGE_PASSWORD", Cli.PASSWORD);

        Result init = run(env, List.of(), "init");
        assertEquals(0, init.code(), init.err());
        assertTrue(init.out().startsWith("created restic repository "), init.out());

        Result backup = run(env, List.of(), "backup", src.toString());
        assertEquals(0, backup.code(), backup.err());
        Matcher saved = Pattern.compile("(?m)^snapshot ([0-9a-f]{8}) saved$").matcher(backup.out());
        assertTrue(saved.find(), backup.out());
        assertEquals("", backup.err());

        Result snapshots = run(env, List.of(), "snapshots");
        assertEquals(0, snapshots.code(), snapshots.err());
        assertTrue(snapshots.out().contains(saved.group(1)), snapshots.out());
        assertTrue(snapshots.out().endsWith("1 snapshots\n"), snapshots.out());

        // the script passes the exit code and the error line through
        Result wrong = run(Map.of("STOWAGE_REPOSITORY", repo.toString(), "STOWAGE_PASSWORD", "wrong"), List.of(),
                "snapshots");
        assertEquals(StowageCommand.EXIT_WRONG_PASSWORD, wrong.code());
        assertEquals("stowage: wrong password: the password does not unlock this repository key\n", wrong.err());
    }

    /**
     * Exit code 3: the snapshot is made, but a file could not be read. Tests run as root, who reads
     * a mode-000 file anyway, so the backup runs without the capabilities that let root bypass
     * permissions (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH).
     */
    @Test
    void unreadableFileGivesExitCode3() throws Exception {
        Path repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("readable.txt"), "fine\n");
        Path secret = Cli.write(src.resolve("secret.txt"), "nobody may read this\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        Path closed = Cli.write(src.resolve("closed/inside.txt"), "in a directory nobody may list\n").getParent();
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        List<String> prefix = isRoot()
                ? List.of("setpriv", "--inh-caps=-dac_override,-dac_read_search",
                        "--bounding-set=-dac_override,-dac_read_search")
                : List.of();
        assumeTrue(cannotRead(prefix, secret), "cannot make a file unreadable here (root without setpriv?)");

        Cli cli = Cli.forRepository(repo);
        cli.ok("init", "-q");
        Result backup = run(Map.of("STOWAGE_REPOSITORY", repo.toString(), "STOWAGE_PASSWORD", Cli.PASSWORD), prefix,
                "backup", src.toString());
        assertEquals(StowageCommand.EXIT_INCOMPLETE, backup.code(), backup.out() + backup.err());
        assertTrue(backup.out().contains(" saved\n"), "the snapshot is made: " + backup.out());
        // one warning each, naming the path and the reason
        assertEquals(List.of("warning: cannot read " + secret + ": permission denied",
                        "warning: cannot read directory " + closed + ": permission denied"),
                backup.err().lines().sorted().toList(), backup.err());

        List<String> ls = cli.ok("ls", "latest").outLines();
        assertTrue(ls.contains(src.resolve("readable.txt").toString()), String.join("\n", ls));
    }

    /**
     * Files whose permissions the target keeps are created with them and not chmod-ed after
     * ({@code CreationMask}); the rest are set after. Under umask 000 the first applies to nearly
     * all, under 077 to few: the restored modes are the same either way.
     */
    @Test
    void restoredModesDoNotDependOnTheUmask() throws Exception {
        Path repo = tmp.resolve("repo");
        Path src = tmp.resolve("src");
        Map<String, Integer> modes = new java.util.LinkedHashMap<>();
        for (int mode : new int[] {0644, 0755, 0600, 0444, 0664, 0777, 0200, 04755, 02755, 01644}) {
            Path f = Cli.write(src.resolve("m-" + Integer.toOctalString(mode)), "mode " + mode + "\n");
            modes.put(f.getFileName().toString(), mode);
        }
        Files.createFile(src.resolve("empty"));
        modes.put("empty", 0666);
        // several blobs: the file is opened once for each
        byte[] random = new byte[6 << 20];
        new java.util.Random(7).nextBytes(random);
        Path large = Files.write(src.resolve("several-blobs"), random);
        modes.put("several-blobs", 0640);
        for (Map.Entry<String, Integer> m : modes.entrySet()) {
            Files.setAttribute(src.resolve(m.getKey()), "unix:mode", m.getValue());
        }
        Cli cli = Cli.forRepository(repo);
        cli.ok("init", "-q");
        cli.ok("backup", "-q", src.toString());

        Map<String, String> env = Map.of("STOWAGE_REPOSITORY", repo.toString(), "STOWAGE_PASSWORD", Cli.PASSWORD);
        for (String umask : List.of("000", "077", "022")) {
            Path target = tmp.resolve("restore-" + umask);
            Result restore = run(env, List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""),
                    "restore", "latest", "--target", target.toString(), "-q");
            assertEquals(0, restore.code(), restore.err());
            Path restored = target.resolve(src.toString().substring(1));
            for (Map.Entry<String, Integer> m : modes.entrySet()) {
                int mode = (Integer) Files.getAttribute(restored.resolve(m.getKey()), "unix:mode") & 07777;
                assertEquals(Integer.toOctalString(m.getValue()), Integer.toOctalString(mode),
                        m.getKey() + " restored under umask " + umask);
            }
            assertEquals(-1, Files.mismatch(large, restored.resolve("several-blobs")));
            try (var names = Files.list(restored)) {
                assertEquals(modes.size(), names.count(), "nothing else in the target, no probe file left");
            }
        }
    }

    private static boolean isRoot() throws IOException {
        return "0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
    }

    /** Whether {@code cat} started with the same prefix fails to read the file. */
    private static boolean cannotRead(List<String> prefix, Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("cat", file.toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false; // no setpriv
        }
        p.getInputStream().readAllBytes();
        return p.waitFor() != 0;
    }
}
