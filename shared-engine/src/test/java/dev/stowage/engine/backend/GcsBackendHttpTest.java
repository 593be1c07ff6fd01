package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GcsBackend through the real client and HTTP, against {@link GcsTestServer}: the retry policy as
 * configured (5xx, 408, 429 and dropped connections retried with backoff, uploads included; 401,
 * 403 and 404 not), short ranges, bucket creation, the connection limit and credentials from the
 * environment.
 */
class GcsBackendHttpTest {
    private static final String BUCKET = "bucket";
    private static final String PREFIX = "repo";
    /** The configured policy with millisecond delays, so giving up after every attempt takes no time. */
    private static final RetrySettings FAST = GcsBackend.RETRY.toBuilder()
            .setInitialRetryDelayDuration(Duration.ofMillis(1))
            .setMaxRetryDelayDuration(Duration.ofMillis(5))
            .build();

    @TempDir
    Path tmp;
    private GcsTestServer server;

    @BeforeEach
    void start() throws IOException {
        server = new GcsTestServer(BUCKET);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private GcsBackend backend(RetrySettings retry, int connections) {
        return new GcsBackend(GcsBackend.client(NoCredentials.getInstance(), "test-project", server.endpoint(), retry),
                new GcsBackend.Settings(BUCKET, PREFIX, connections), tmp.resolve("buffers"));
    }

    private GcsBackend backend() {
        return backend(FAST, GcsBackend.DEFAULT_CONNECTIONS);
    }

    private void put(String path, String content) {
        server.objects.put(BUCKET + "/" + PREFIX + "/" + path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void serverErrorsAreRetriedWithTheConfiguredBackoff() throws Exception {
        put("config", "payload");
        server.fail(500, 503);
        try (GcsBackend b = backend(GcsBackend.RETRY, 1)) {
            assertArrayEquals(utf8("payload"), b.load(Handle.CONFIG));
        }
        assertEquals(3, server.requests.size(), server.requests.toString());
    }

    @Test
    void throttlingTimeoutsAndDroppedConnectionsAreRetried() throws Exception {
        put("config", "payload");
        server.fail(429, 408, 0, 502, 504);
        try (GcsBackend b = backend()) {
            assertEquals(7, b.size(Handle.CONFIG));
        }
        assertTrue(server.requests.size() >= 6, server.requests.toString());
    }

    @Test
    void uploadsAreRetried() throws Exception {
        byte[] data = utf8("an index");
        Handle h = new Handle(FileType.INDEX, Id.hash(data).hex());
        server.fail(503);
        try (GcsBackend b = backend()) {
            b.save(h, List.of(utf8("an "), utf8("index")));
        }
        assertEquals(2, server.count("POST /upload/storage/v1/b/bucket/o"), server.requests.toString());
        assertTrue(server.requests.stream().noneMatch(r -> r.endsWith("(gzip)")), "encrypted data is sent as is: " + server.requests);
        assertArrayEquals(data, server.objects.get(BUCKET + "/" + PREFIX + "/" + h.path()));
    }

    @Test
    void packUploadSessionsAreRetried() throws Exception {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        Handle h = new Handle(FileType.PACK, Id.hash(data).hex());
        try (GcsBackend b = backend(); Backend.PendingFile f = b.create(FileType.PACK)) {
            f.write(data, 0, data.length);
            server.fail(503); // starting the resumable session
            f.commit(h);
        }
        assertEquals(2, server.count("POST /upload/storage/v1/b/bucket/o"), server.requests.toString());
        assertEquals(1, server.count("PUT "), server.requests.toString());
        assertArrayEquals(data, server.objects.get(BUCKET + "/" + PREFIX + "/" + h.path()));
    }

    @Test
    void aFailedPackUploadIsResumed() throws Exception {
        byte[] data = new byte[300_000];
        new Random(4).nextBytes(data);
        Handle h = new Handle(FileType.PACK, Id.hash(data).hex());
        try (GcsBackend b = backend(); Backend.PendingFile f = b.create(FileType.PACK)) {
            f.write(data, 0, data.length);
            // the session starts, its upload fails; the client asks what arrived (nothing) and sends it all again
            server.fail(-1, 503);
            f.commit(h);
        }
        assertEquals(1, server.count("POST /upload/storage/v1/b/bucket/o"), server.requests.toString());
        assertTrue(server.count("PUT ") >= 3, server.requests.toString());
        assertArrayEquals(data, server.objects.get(BUCKET + "/" + PREFIX + "/" + h.path()));
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        try (GcsBackend b = backend()) {
            Handle h = new Handle(FileType.SNAPSHOT, "ab".repeat(32));
            NotFoundException e = assertThrows(NotFoundException.class, () -> b.load(h));
            assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains("gs:bucket:/repo"), e.getMessage());
            assertEquals(1, server.requests.size());
            assertThrows(NotFoundException.class, () -> b.load(h, 0, 10));
            assertEquals(2, server.requests.size());
            assertFalse(b.exists(h));
            assertEquals(3, server.requests.size());
            assertThrows(NotFoundException.class, () -> b.remove(h));
            assertEquals(4, server.requests.size(), server.requests.toString());
        }
    }

    @Test
    void authenticationErrorsAreNotRetried() throws Exception {
        put("config", "payload");
        try (GcsBackend b = backend()) {
            for (int status : new int[] {401, 403}) {
                server.requests.clear();
                server.fail(status);
                IOException e = assertThrows(IOException.class, () -> b.load(Handle.CONFIG));
                assertFalse(e instanceof NotFoundException, e.toString());
                assertTrue(e.getMessage().contains("access denied") && e.getMessage().contains("config"), e.getMessage());
                assertEquals(1, server.requests.size(), status + ": " + server.requests);
            }
            server.requests.clear();
            server.fail(403);
            IOException e = assertThrows(IOException.class, () -> b.save(Handle.CONFIG, utf8("cfg")));
            assertTrue(e.getMessage().contains("access denied"), e.getMessage());
            assertEquals(1, server.requests.size(), server.requests.toString());
        }
    }

    @Test
    void persistentErrorsGiveUpAfterTheAttemptLimit() throws Exception {
        server.failForever(503);
        try (GcsBackend b = backend()) {
            IOException e = assertThrows(IOException.class, () -> b.list(FileType.SNAPSHOT));
            assertFalse(e instanceof NotFoundException);
            assertTrue(e.getMessage().contains("cannot list snapshots in repository gs:bucket:/repo"), e.getMessage());
        }
        assertEquals(GcsBackend.MAX_ATTEMPTS, server.requests.size());
    }

    @Test
    void rangesAreReadAndShortFilesReportTheirSize() throws Exception {
        put("data/00/" + "00".repeat(32), "0123456789abcdef");
        Handle h = new Handle(FileType.PACK, "00".repeat(32));
        try (GcsBackend b = backend()) {
            assertArrayEquals(utf8("789a"), b.load(h, 7, 4));
            assertArrayEquals(utf8("cdef"), b.load(h, 12, 4));
            EOFException e = assertThrows(EOFException.class, () -> b.load(h, 12, 5));
            assertTrue(e.getMessage().contains(h.path()) && e.getMessage().contains("file has 16"), e.getMessage());
            e = assertThrows(EOFException.class, () -> b.load(h, 16, 1));
            assertTrue(e.getMessage().contains("file has 16"), e.getMessage());
            assertTrue(server.requests.stream().anyMatch(r -> r.contains("alt=media")), server.requests.toString());
        }
    }

    @Test
    void createMakesAMissingBucketInTheProject() throws Exception {
        server.buckets.clear();
        try (GcsBackend b = backend()) {
            b.create();
            b.save(Handle.CONFIG, utf8("cfg"));
            assertTrue(server.buckets.contains(BUCKET));
            assertEquals(1, server.count("POST /storage/v1/b?"), server.requests.toString());
            assertTrue(server.requests.stream().anyMatch(r -> r.startsWith("POST /storage/v1/b?") && r.contains("project=test-project")),
                    server.requests.toString());
            assertThrows(java.nio.file.FileAlreadyExistsException.class, b::create);
            assertEquals(1, server.count("POST /storage/v1/b?"), "an existing bucket is not created again");
        }
    }

    @Test
    void aMissingBucketHasNoFiles() throws Exception {
        server.buckets.clear();
        try (GcsBackend b = backend()) {
            assertEquals(List.of(), b.list(FileType.KEY));
            assertFalse(b.exists(Handle.CONFIG));
            assertThrows(NotFoundException.class, () -> b.load(Handle.CONFIG));
        }
    }

    @Test
    void requestsStayWithinTheConnectionCount() throws Exception {
        put("config", "payload");
        server.delay(150);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (GcsBackend b = backend(FAST, 2)) {
            List<Future<Long>> sizes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sizes.add(pool.submit(() -> b.size(Handle.CONFIG)));
            }
            for (Future<Long> f : sizes) {
                assertEquals(7L, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, server.maxInFlight.get(), "two connections: two requests at a time, and not fewer");
    }

    @Test
    void emulatorHostFromTheEnvironment() throws Exception {
        put("config", "payload");
        String host = server.endpoint().getAuthority(); // as fake-gcs-server users set it: host:port
        try (GcsBackend b = GcsBackend.open(new GcsBackend.Settings(BUCKET, PREFIX, 3), Map.of(GcsBackend.EMULATOR_HOST, host))) {
            assertArrayEquals(utf8("payload"), b.load(Handle.CONFIG));
            assertEquals(3, b.connections());
            assertInstanceOf(NoCredentials.class, b.clientOptions().getCredentials());
        }
    }

    @Test
    void serviceAccountKeyFromTheEnvironment() throws Exception {
        String json = serviceAccountKey("key-project", "backup@key-project.iam.gserviceaccount.com");
        GcsBackend.Settings s = new GcsBackend.Settings(BUCKET, PREFIX, 1);
        // only the client is built: nothing is sent, so no test reaches Google
        try (GcsBackend b = GcsBackend.open(s, Map.of(GcsBackend.SERVICE_ACCOUNT_JSON_KEY, json))) {
            ServiceAccountCredentials c = assertInstanceOf(ServiceAccountCredentials.class, b.clientOptions().getCredentials());
            assertEquals("backup@key-project.iam.gserviceaccount.com", c.getClientEmail());
            assertEquals("key-project", b.clientOptions().getProjectId());
        }
        try (GcsBackend b = GcsBackend.open(s, Map.of(GcsBackend.SERVICE_ACCOUNT_JSON_KEY, json, GcsBackend.PROJECT_ID, "other"))) {
            assertEquals("other", b.clientOptions().getProjectId());
        }
        StowageException e = assertThrows(StowageException.class,
                () -> GcsBackend.open(s, Map.of(GcsBackend.SERVICE_ACCOUNT_JSON_KEY, "{\"type\": \"service_account\"}")));
        assertTrue(e.getMessage().startsWith("GOOGLE_SERVICE_ACCOUNT_JSON_KEY is not a service account key"), e.getMessage());
    }

    @Test
    void accessTokenFromTheEnvironment() throws Exception {
        try (GcsBackend b = GcsBackend.open(new GcsBackend.Settings(BUCKET, PREFIX, 1),
                Map.of(GcsBackend.ACCESS_TOKEN, "ya29.token", GcsBackend.PROJECT_ID, "p"))) {
            Map<String, List<String>> headers = b.clientOptions().getCredentials().getRequestMetadata();
            assertEquals(List.of("Bearer ya29.token"), headers.get("Authorization"));
        }
    }

    /** A service account key file as the Cloud console writes it, with a fresh RSA key. */
    private static String serviceAccountKey(String project, String email) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded()).replace("\r\n", "\\n")
                + "\\n-----END PRIVATE KEY-----\\n";
        return "{\"type\":\"service_account\",\"project_id\":\"" + project + "\",\"private_key_id\":\"0123\","
                + "\"private_key\":\"" + pem + "\",\"client_email\":\"" + email + "\",\"client_id\":\"1\","
                + "\"token_uri\":\"http://127.0.0.1:9/token\"}";
    }
}
