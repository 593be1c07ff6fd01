package dev.stowage.cli;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.RepositoryLocation;
import dev.stowage.engine.backend.TlsTrust;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.repository.RepositoryOptions;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, named as restic names them. */
final class GlobalOptions {
    @Option(scope = ScopeType.INHERIT, names = {"-r", "--repo"}, description = "repository location (default: $STOWAGE_REPOSITORY, then $RESTIC_REPOSITORY)")
    String repo;

    @Option(scope = ScopeType.INHERIT, names = "--password-file", description = "file holding the repository password (default: $STOWAGE_PASSWORD_FILE, then $RESTIC_PASSWORD_FILE)")
    Path passwordFile;

    @Option(scope = ScopeType.INHERIT, names = {"-q", "--quiet"}, description = "print only errors (and requested data)")
    boolean quiet;

    @Option(scope = ScopeType.INHERIT, names = "--json", description = "print machine-readable JSON shaped like restic's")
    boolean json;

    @Option(scope = ScopeType.INHERIT, names = {"-v", "--verbose"}, description = "print stack traces with errors")
    boolean verbose;

    // no picocli ${env:...} default: that reads the JVM's environment, not the one execute() was given
    @Option(scope = ScopeType.INHERIT, names = "--compression",
            description = "data compression: auto, off or max (default: $RESTIC_COMPRESSION, then auto)")
    String compression;

    @Option(scope = ScopeType.INHERIT, names = "--pack-size", description = "target pack size in MiB, 4 to 128 (default: 16)")
    Integer packSizeMiB;

    @Option(scope = ScopeType.INHERIT, names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "set an extended option for the repository's type, e.g. s3.connections=10 or gs.connections=10")
    Map<String, String> extendedOptions = new LinkedHashMap<>();

    @Option(scope = ScopeType.INHERIT, names = "--cacert", paramLabel = "FILE", split = ",",
            description = "file of PEM CA certificates the repository's server is trusted by, in addition to the"
                    + " JVM's default roots; may be repeated or comma-separated (also: $CA_CERT_DATA, PEM text)")
    List<Path> caCertFiles = new ArrayList<>();

    @Option(scope = ScopeType.INHERIT, names = "--insecure-tls",
            description = "skip TLS certificate and host name verification when connecting to the repository"
                    + " (insecure: anyone on the path can pose as the server; also: $STOWAGE_INSECURE_TLS=true)")
    boolean insecureTls;

    // set by StowageCommand before any command runs, so tests can pass their own environment and streams
    Map<String, String> env = Map.of();
    java.io.PrintStream err = System.err;

    String repository() {
        String r = repo != null ? repo : firstEnv("STOWAGE_REPOSITORY", "RESTIC_REPOSITORY");
        if (r == null || r.isBlank()) {
            throw new StowageException("no repository given: use -r/--repo or set STOWAGE_REPOSITORY");
        }
        return r;
    }

    /**
     * The repository's backend; credentials (and S3's region) come from this command's environment,
     * trusted servers from --cacert, --insecure-tls and the environment.
     */
    Backend backend() {
        RepositoryLocation location = RepositoryLocation.parse(repository());
        TlsTrust tls = TlsTrust.of(env, caCertFiles, insecureTls);
        if (tls.insecure() && !quiet && !(location instanceof RepositoryLocation.Local)) {
            err.println("warning: TLS certificate verification is off: the repository's server is not authenticated");
        }
        return location.open(env, extendedOptions, tls);
    }

    /** How to write to {@code backend}: as many parallel uploads as it has connections. */
    RepositoryOptions repositoryOptions(Backend backend) {
        return repositoryOptions().withUploadThreads(backend.connections());
    }

    RepositoryOptions repositoryOptions() {
        RepositoryOptions d = RepositoryOptions.defaults();
        // compare in MiB: shifting first overflows, and e.g. 4112 MiB would wrap to 16 MiB
        if (packSizeMiB != null && (packSizeMiB < RepositoryOptions.MIN_PACK_SIZE >> 20
                || packSizeMiB > RepositoryOptions.MAX_PACK_SIZE >> 20)) {
            throw new StowageException("--pack-size must be between 4 and 128 (MiB)");
        }
        int packSize = packSizeMiB == null ? d.packSize() : packSizeMiB << 20;
        String mode = compression != null ? compression : firstEnv("RESTIC_COMPRESSION");
        return new RepositoryOptions(Compression.parse(mode != null ? mode : "auto"), packSize, d.uploadThreads());
    }

    /**
     * The password: --password-file, $STOWAGE_PASSWORD, $RESTIC_PASSWORD, the password file
     * variables, and finally a prompt on a terminal. Files are trimmed of surrounding whitespace,
     * variables are used verbatim (restic's rules).
     */
    String password(boolean confirm) throws IOException {
        if (passwordFile != null) {
            return readPasswordFile(passwordFile);
        }
        String p = firstEnv("STOWAGE_PASSWORD", "RESTIC_PASSWORD");
        if (p != null) {
            return p;
        }
        String file = firstEnv("STOWAGE_PASSWORD_FILE", "RESTIC_PASSWORD_FILE");
        if (file != null) {
            return readPasswordFile(Path.of(file));
        }
        Console console = System.console();
        if (console == null) {
            throw new StowageException("no password given: use --password-file or set STOWAGE_PASSWORD");
        }
        char[] first = console.readPassword("enter password for repository: ");
        if (first == null || first.length == 0) {
            throw new StowageException("an empty password is not allowed");
        }
        if (confirm) {
            char[] again = console.readPassword("enter password again: ");
            if (again == null || !new String(first).equals(new String(again))) {
                throw new StowageException("passwords do not match");
            }
        }
        return new String(first);
    }

    /** A password file's content, trimmed of surrounding whitespace (and a BOM), as restic reads it. */
    static String readPasswordFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new StowageException("password file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new StowageException("password file " + file + " is not a regular file");
        }
        String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (s.startsWith("\uFEFF")) {
            s = s.substring(1);
        }
        s = s.strip();
        if (s.isEmpty()) {
            throw new StowageException("password file " + file + " is empty");
        }
        return s;
    }

    private String firstEnv(String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Progress goes to a terminal only, and never with --quiet or --json. */
    boolean showProgress() {
        return !quiet && !json && System.console() != null;
    }
}
