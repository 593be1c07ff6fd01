package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.backend.S3ProxyServer;
import dev.stowage.engine.backend.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage -r s3:https://...} against s3proxy serving HTTPS with a certificate from a private
 * CA: refused without the CA; accepted with {@code CA_CERT_DATA}, {@code --cacert} or
 * {@code --insecure-tls}; restic 0.14 with {@code --cacert} checks and restores what Stowage wrote;
 * {@code -o s3.connections=N} bounds the requests in flight.
 */
class S3TlsRepositoryTest {
    private static final Pattern SAVED = Pattern.compile("(?m)^snapshot ([0-9a-f]{8}) saved$");
    private static final Path RESTIC = Path.of("/usr/bin/restic");
    private static final String WARNING = "warning: TLS certificate verification is off: the repository's server is not authenticated";

    private static TestCertificates certs;
    private static S3ProxyServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.forLocalhost();
        server = S3ProxyServer.https(certs.serverContext());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String repository(String bucket) {
        return "s3:" + server.endpoint() + "/" + bucket + "/repo";
    }

    private static Cli cli(String repository) {
        return Cli.bare().env("STOWAGE_PASSWORD", Cli.PASSWORD).env("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY)
                .env("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY).env("AWS_DEFAULT_REGION", "us-east-1")
                .env("STOWAGE_REPOSITORY", repository);
    }

    private Path source() throws IOException {
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "hello over TLS\n");
        byte[] big = new byte[3_000_000];
        new Random(11).nextBytes(big);
        Files.createDirectories(src.resolve("sub"));
        Files.write(src.resolve("sub/big.bin"), big);
        return src;
    }

    private static String saved(Cli.Run backup) {
        Matcher m = SAVED.matcher(backup.out());
        assertTrue(m.find(), backup.out());
        return m.group(1);
    }

    @Test
    void anUntrustedServerIsRefusedNamingTheCertificateProblemAndTheServer() {
        Cli.Run init = cli(repository("untrusted")).run("init");
        assertEquals(StowageCommand.EXIT_FATAL, init.code(), init.err());
        assertEquals(1, init.err().lines().count(), "one line, no stack trace: " + init.err());
        assertTrue(init.err().startsWith("stowage: "), init.err());
        assertTrue(init.err().contains(server.endpoint().toString()), init.err());
        assertTrue(init.err().contains("TLS certificate was not accepted: unable to find valid certification path"), init.err());
        assertTrue(init.err().contains("--cacert") && init.err().contains("--insecure-tls"), init.err());
        assertFalse(init.err().contains(S3ProxyServer.SECRET_KEY));
    }

    @Test
    void withTheCaFromCaCertDataOrCacertStowageAndResticBothUseTheRepository() throws Exception {
        Path src = source();
        String repo = repository("trusted");
        Path caFile = certs.writeCaPem(tmp.resolve("ca.pem"));

        // CA_CERT_DATA, as a repository's storage secret holds it
        Cli fromEnv = cli(repo).env("CA_CERT_DATA", certs.caPem());
        fromEnv.ok("init");
        Cli.Run first = fromEnv.ok("backup", src.toString());
        assertEquals("", first.err());
        Path target = tmp.resolve("restored");
        fromEnv.ok("restore", "latest", "--target", target.toString());
        Path back = target.resolve(src.toString().substring(1));
        assertEquals("hello over TLS\n", Files.readString(back.resolve("a.txt")));
        assertArrayEquals(Files.readAllBytes(src.resolve("sub/big.bin")), Files.readAllBytes(back.resolve("sub/big.bin")));

        // --cacert FILE, as restic takes it
        Files.writeString(src.resolve("added.txt"), "second backup\n");
        Cli.Run second = cli(repo).ok("backup", "--cacert", caFile.toString(), src.toString());
        String secondId = saved(second);
        assertTrue(cli(repo).ok("--cacert", caFile.toString(), "snapshots").out().contains(secondId));
        cli(repo).ok("check", "--read-data", "--cacert", caFile.toString());

        // restic 0.14 trusts the same CA file, and checks and restores what Stowage wrote
        String check = restic(repo, "--cacert", caFile.toString(), "check", "--read-data");
        assertTrue(check.contains("no errors were found"), check);
        Path resticTarget = tmp.resolve("restic-restored");
        restic(repo, "--cacert", caFile.toString(), "restore", secondId, "--target", resticTarget.toString());
        Path resticBack = resticTarget.resolve(src.toString().substring(1));
        assertEquals("second backup\n", Files.readString(resticBack.resolve("added.txt")));
        assertArrayEquals(Files.readAllBytes(src.resolve("sub/big.bin")), Files.readAllBytes(resticBack.resolve("sub/big.bin")));
        // and, like Stowage, refuses the server without it
        assertNotEquals(0, resticExit(repo, "snapshots"));
    }

    @Test
    void insecureTlsSkipsVerificationWithAWarning() throws Exception {
        Path src = source();
        String repo = repository("insecure");
        Cli.Run init = cli(repo).ok("init", "--insecure-tls");
        assertEquals(WARNING + "\n", init.err());
        Cli.Run backup = cli(repo).ok("backup", "--insecure-tls", src.toString());
        assertEquals(WARNING + "\n", backup.err());
        // the variable a Repository's insecureTLS becomes; -q leaves the warning out
        Cli.Run snapshots = cli(repo).env("STOWAGE_INSECURE_TLS", "true").ok("snapshots", "-q");
        assertEquals("", snapshots.err());
        assertTrue(snapshots.out().contains(saved(backup)), snapshots.out());
        Cli.Run refused = cli(repo).run("snapshots");
        assertEquals(StowageCommand.EXIT_FATAL, refused.code(), refused.err());
        // restic's --insecure-tls reads it too
        String check = restic(repo, "--insecure-tls", "check");
        assertTrue(check.contains("no errors were found"), check);
    }

    @Test
    void s3ConnectionsBoundTheRequestsInFlight() throws Exception {
        Path src = tmp.resolve("many-packs");
        byte[] data = new byte[18 << 20];
        new Random(5).nextBytes(data);
        Cli.write(src.resolve("placeholder"), "");
        Files.write(src.resolve("random.bin"), data);
        String caData = certs.caPem();

        for (int connections : new int[] {1, 4}) {
            String repo = repository("connections-" + connections);
            Cli cli = cli(repo).env("CA_CERT_DATA", caData);
            cli.ok("init");
            server.delay(100); // each request takes a while, so uploads that may overlap do
            server.resetCounts();
            try {
                cli.ok("backup", "-o", "s3.connections=" + connections, "--pack-size", "4", src.toString());
            } finally {
                server.delay(0);
            }
            int max = server.maxInFlight.get();
            System.out.println("S3TlsRepositoryTest: s3.connections=" + connections + ", at most " + max + " requests at once");
            if (connections == 1) {
                assertEquals(1, max, "one connection: one request at a time");
            } else {
                assertTrue(max > 1 && max <= connections, "up to " + connections + " requests at a time, seen " + max);
            }
        }
        Cli.Run bad = cli(repository("connections-1")).env("CA_CERT_DATA", caData).run("snapshots", "-o", "s3.connections=0");
        assertEquals(StowageCommand.EXIT_FATAL, bad.code());
        assertEquals("stowage: invalid value \"0\" for option s3.connections: expected a number above 0\n", bad.err());
    }

    /** Runs restic 0.14 with only the variables it needs, and returns its standard output; fails unless it exits 0. */
    private String restic(String repo, String... args) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        int code = resticRun(repo, out, args);
        assertEquals(0, code, () -> "exit code of restic " + String.join(" ", args) + "\n" + out.get(1));
        return out.get(0);
    }

    private int resticExit(String repo, String... args) throws IOException, InterruptedException {
        return resticRun(repo, new ArrayList<>(), args);
    }

    private int resticRun(String repo, List<String> outAndErr, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(RESTIC), "restic is needed at " + RESTIC + " (bin/test installs it)");
        List<String> command = new ArrayList<>(List.of(RESTIC.toString(), "--no-cache", "-r", repo));
        command.addAll(List.of(args));
        Path errFile = Files.createTempFile(tmp, "restic-stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectError(errFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("RESTIC_") || k.startsWith("AWS_") || k.startsWith("SSL_CERT"));
        pb.environment().put("RESTIC_PASSWORD", Cli.PASSWORD);
        pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        Process p = pb.start();
        try {
            outAndErr.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "restic finished");
            outAndErr.add(Files.readString(errFile));
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }
}
