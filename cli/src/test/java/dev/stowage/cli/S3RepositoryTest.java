package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage -r s3:http://...} against s3proxy (a real S3 server, in-process), with credentials
 * from the command's environment; restic 0.14 then checks and restores what Stowage wrote.
 */
class S3RepositoryTest {
    private static final String ACCESS_KEY = "stowage-access";
    private static final String SECRET_KEY = "stowage-secret-key";
    private static final Pattern SAVED = Pattern.compile("(?m)^snapshot ([0-9a-f]{8}) saved$");
    private static final Path RESTIC = Path.of("/usr/bin/restic");

    private static BlobStoreContext context;
    private static BlobStore blobStore;
    private static S3Proxy proxy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential").build(BlobStoreContext.class);
        blobStore = context.getBlobStore();
        proxy = S3Proxy.builder().blobStore(blobStore).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!proxy.getState().equals("STARTED") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        proxy.stop();
        context.close();
    }

    private static String repository(String bucket, String prefix) {
        return "s3:http://127.0.0.1:" + proxy.getPort() + "/" + bucket + "/" + prefix;
    }

    private static Cli cli(String repository) {
        return Cli.bare().env("STOWAGE_PASSWORD", Cli.PASSWORD).env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
                .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY).env("AWS_DEFAULT_REGION", "us-east-1")
                .env("STOWAGE_REPOSITORY", repository);
    }

    private List<String> keys(String bucket, String prefix) {
        return blobStore.list(bucket, ListContainerOptions.Builder.prefix(prefix + "/").recursive()).stream()
                .map(m -> m.getName().substring(prefix.length() + 1)).sorted().toList();
    }

    @Test
    void stowageWritesAnS3RepositoryThatResticChecksAndRestores() throws Exception {
        Path src = tmp.resolve("src");
        Cli.write(src.resolve("a.txt"), "hello\n");
        Cli.write(src.resolve("sub/b.txt"), "in a subdirectory\n");
        byte[] big = new byte[5_000_000];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("sub/big.bin"), big);
        String repo = repository("e2e", "backups/host1");
        Cli cli = cli(repo);

        Cli.Run init = cli.ok("init");
        assertTrue(init.out().startsWith("created restic repository "), init.out());
        assertTrue(keys("e2e", "backups/host1").contains("config"), keys("e2e", "backups/host1").toString());
        Cli.Run backup = cli.ok("backup", src.toString());
        assertEquals("", backup.err());
        Matcher saved = SAVED.matcher(backup.out());
        assertTrue(saved.find(), backup.out());
        List<String> objects = keys("e2e", "backups/host1");
        assertTrue(objects.stream().anyMatch(k -> k.matches("data/[0-9a-f]{2}/[0-9a-f]{64}")), objects.toString());
        assertTrue(objects.stream().anyMatch(k -> k.matches("snapshots/[0-9a-f]{64}")), objects.toString());
        assertTrue(objects.stream().anyMatch(k -> k.matches("index/[0-9a-f]{64}")), objects.toString());
        assertTrue(objects.stream().noneMatch(k -> k.startsWith("locks/")), "locks are removed: " + objects);

        assertTrue(cli.ok("snapshots").out().contains(saved.group(1)));
        cli.ok("check", "--read-data");
        Path target = tmp.resolve("restored");
        cli.ok("restore", "latest", "--target", target.toString());
        Path back = target.resolve(src.toString().substring(1));
        assertEquals("hello\n", Files.readString(back.resolve("a.txt")));
        assertArrayEquals(big, Files.readAllBytes(back.resolve("sub/big.bin")));

        String check = restic(repo, "check", "--read-data");
        assertTrue(check.contains("no errors were found"), check);
        Path resticTarget = tmp.resolve("restic-restored");
        restic(repo, "restore", saved.group(1), "--target", resticTarget.toString());
        Path resticBack = resticTarget.resolve(src.toString().substring(1));
        assertEquals("hello\n", Files.readString(resticBack.resolve("a.txt")));
        assertEquals("in a subdirectory\n", Files.readString(resticBack.resolve("sub/b.txt")));
        assertArrayEquals(big, Files.readAllBytes(resticBack.resolve("sub/big.bin")));
    }

    @Test
    void missingOrWrongCredentialsFailCleanly() {
        String repo = repository("creds", "r");
        cli(repo).ok("init");
        Cli.Run wrong = cli(repo).env("AWS_SECRET_ACCESS_KEY", "wrong").run("snapshots");
        assertEquals(StowageCommand.EXIT_FATAL, wrong.code(), wrong.err());
        assertTrue(wrong.err().startsWith("stowage: "), wrong.err());
        assertTrue(wrong.err().contains("config"), wrong.err());
    }

    @Test
    void initTwiceFails() {
        String repo = repository("twice", "p");
        cli(repo).ok("init");
        Cli.Run again = cli(repo).run("init");
        assertEquals(StowageCommand.EXIT_FATAL, again.code(), again.err());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    /** Runs restic 0.14 with only the variables it needs, and returns its standard output. */
    private String restic(String repo, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(RESTIC), "restic is needed at " + RESTIC + " (bin/test installs it)");
        List<String> command = new ArrayList<>(List.of(RESTIC.toString(), "--no-cache", "-r", repo));
        command.addAll(List.of(args));
        Path errFile = Files.createTempFile(tmp, "restic-stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectError(errFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("RESTIC_") || k.startsWith("AWS_"));
        pb.environment().put("RESTIC_PASSWORD", Cli.PASSWORD);
        pb.environment().put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "restic finished");
            assertEquals(0, p.exitValue(), () -> "exit code of restic " + String.join(" ", args) + "\n"
                    + readQuietly(errFile));
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
