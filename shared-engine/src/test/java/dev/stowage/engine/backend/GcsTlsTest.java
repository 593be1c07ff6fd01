package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GCS backend's HTTP transport trusts what S3's does: the test server over HTTPS with a
 * private CA's certificate is refused until CA_CERT_DATA or a --cacert file names the CA, or
 * verification is off.
 */
class GcsTlsTest {
    private static final String BUCKET = "tls";
    private static TestCertificates certs;
    private static GcsTestServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        certs = TestCertificates.forLocalhost();
        server = new GcsTestServer(BUCKET, certs.serverContext());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static GcsBackend open(String prefix, Map<String, String> env, TlsTrust tls) {
        Map<String, String> all = new HashMap<>(env);
        all.put(GcsBackend.EMULATOR_HOST, server.endpoint().toString());
        return GcsBackend.open(new GcsBackend.Settings(BUCKET, prefix, 2), all, tls);
    }

    /** A small file and a pack (a resumable upload, to the session address the server hands out). */
    private static void roundTrip(Backend b) throws IOException {
        byte[] data = "over TLS".getBytes(StandardCharsets.UTF_8);
        Handle small = new Handle(FileType.SNAPSHOT, Id.hash(data).hex());
        b.save(small, data);
        assertArrayEquals(data, b.load(small));
        byte[] pack = new byte[300_000];
        new Random(3).nextBytes(pack);
        Handle p = new Handle(FileType.PACK, Id.hash(pack).hex());
        try (Backend.PendingFile f = b.create(FileType.PACK)) {
            f.write(pack, 0, pack.length);
            f.commit(p);
        }
        assertArrayEquals(pack, b.load(p, 0, pack.length));
        assertEquals(List.of(p.name()), b.list(FileType.PACK));
    }

    @Test
    void anUntrustedCertificateIsRefusedNamingTheProblem() throws Exception {
        long start = System.nanoTime();
        try (GcsBackend b = open("untrusted", Map.of(), TlsTrust.defaults())) {
            IOException e = assertThrows(IOException.class, () -> b.list(FileType.KEY));
            System.out.println("GcsTlsTest, untrusted: " + e.getMessage());
            assertTrue(e.getMessage().contains("gs:" + BUCKET + ":/untrusted"), e.getMessage());
            assertTrue(e.getMessage().contains("TLS certificate was not accepted"), e.getMessage());
            assertTrue(e.getMessage().contains("CA_CERT_DATA"), e.getMessage());
        }
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "not retried with backoff");
    }

    @Test
    void caCertDataOrACaFileIsTrusted() throws Exception {
        try (GcsBackend b = open("ca-cert-data", Map.of(TlsTrust.CA_CERT_DATA, certs.caPem()), TlsTrust.fromEnv(
                Map.of(TlsTrust.CA_CERT_DATA, certs.caPem())))) {
            roundTrip(b);
        }
        // RepositoryLocation reads the environment itself
        try (Backend b = RepositoryLocation.parse("gs:" + BUCKET + ":/via-env").open(Map.of(
                GcsBackend.EMULATOR_HOST, server.endpoint().toString(), TlsTrust.CA_CERT_DATA, certs.caPem()))) {
            roundTrip(b);
        }
        Path pem = certs.writeCaPem(tmp.resolve("ca.pem"));
        try (GcsBackend b = open("cacert", Map.of(), TlsTrust.of(Map.of(), List.of(pem), false))) {
            roundTrip(b);
        }
    }

    @Test
    void insecureTlsTrustsAnyServer() throws Exception {
        try (GcsBackend b = open("insecure", Map.of(), TlsTrust.fromEnv(Map.of(TlsTrust.INSECURE_TLS, "true")))) {
            roundTrip(b);
        }
    }
}
