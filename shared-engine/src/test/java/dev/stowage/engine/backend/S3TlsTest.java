package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 backend against s3proxy over HTTPS with a certificate from a private CA: refused (at
 * once, naming the problem and the server) until the CA is trusted through CA_CERT_DATA or a
 * --cacert file, or verification is turned off; host names are checked unless it is off; and
 * {@code s3.connections} bounds the requests in flight.
 */
class S3TlsTest {
    private static final String BUCKET = "tls";
    private static TestCertificates certs;
    private static S3ProxyServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.forLocalhost();
        server = S3ProxyServer.https(certs.serverContext());
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private S3Backend backend(String prefix, TlsTrust tls) {
        return server.backend(BUCKET, prefix, tmp.resolve("buffers"), 2, tls);
    }

    /** Saves, lists, loads and removes a file: the whole round trip over TLS. */
    private static void roundTrip(Backend b) throws IOException {
        byte[] data = "over TLS".getBytes(StandardCharsets.UTF_8);
        Handle h = new Handle(FileType.SNAPSHOT, Id.hash(data).hex());
        b.save(h, data);
        assertEquals(List.of(h.name()), b.list(FileType.SNAPSHOT));
        assertArrayEquals(data, b.load(h));
        b.remove(h);
        assertEquals(List.of(), b.list(FileType.SNAPSHOT));
    }

    @Test
    void anUntrustedCertificateFailsAtOnceNamingTheProblemAndTheServer() throws Exception {
        server.resetCounts();
        long start = System.nanoTime();
        try (S3Backend b = backend("untrusted", TlsTrust.defaults())) {
            IOException e = assertThrows(IOException.class, b::create);
            String m = e.getMessage();
            System.out.println("S3TlsTest, untrusted: " + m);
            assertTrue(m.contains("s3:" + server.endpoint() + "/" + BUCKET + "/untrusted"), m);
            assertTrue(m.contains("TLS certificate was not accepted"), m);
            assertTrue(m.contains("unable to find valid certification path"), m);
            assertTrue(m.contains("--cacert") && m.contains("CA_CERT_DATA") && m.contains("--insecure-tls"), m);
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 5, "not retried with backoff: took " + seconds + " s");
        assertEquals(0, server.maxInFlight.get(), "no request reached the server");
    }

    @Test
    void caCertDataIsTrusted() throws Exception {
        try (S3Backend b = backend("ca-cert-data", TlsTrust.fromEnv(Map.of(TlsTrust.CA_CERT_DATA, certs.caPem())))) {
            b.create();
            roundTrip(b);
        }
    }

    @Test
    void aCaCertFileIsTrustedAndOpeningThroughTheLocationWorksToo() throws Exception {
        Path pem = certs.writeCaPem(tmp.resolve("ca.pem"));
        try (S3Backend b = backend("cacert", TlsTrust.of(Map.of(), List.of(pem), false))) {
            b.create();
            roundTrip(b);
        }
        // the way the CLI and the functions open it: URL, environment, options
        RepositoryLocation location = RepositoryLocation.parse("s3:" + server.endpoint() + "/" + BUCKET + "/cacert");
        Map<String, String> env = Map.of(RepositoryLocation.ACCESS_KEY_ID, S3ProxyServer.ACCESS_KEY,
                RepositoryLocation.SECRET_ACCESS_KEY, S3ProxyServer.SECRET_KEY, TlsTrust.CA_CERT_DATA, certs.caPem());
        try (Backend b = location.open(env, Map.of("s3.connections", "3"))) {
            assertEquals(3, b.connections());
            roundTrip(b);
        }
        try (Backend b = location.open(Map.of(RepositoryLocation.ACCESS_KEY_ID, S3ProxyServer.ACCESS_KEY,
                RepositoryLocation.SECRET_ACCESS_KEY, S3ProxyServer.SECRET_KEY))) {
            assertEquals(S3Backend.DEFAULT_CONNECTIONS, b.connections());
            IOException e = assertThrows(IOException.class, () -> b.list(FileType.KEY));
            assertTrue(e.getMessage().contains("TLS certificate was not accepted"), e.getMessage());
        }
    }

    @Test
    void insecureTlsTrustsAnyServer() throws Exception {
        try (S3Backend b = backend("insecure", TlsTrust.of(Map.of(), List.of(), true))) {
            b.create();
            roundTrip(b);
        }
        try (S3Backend b = backend("insecure-env", TlsTrust.fromEnv(Map.of(TlsTrust.INSECURE_TLS, "true")))) {
            b.create();
            roundTrip(b);
        }
    }

    @Test
    void theHostNameIsCheckedUnlessVerificationIsOff() throws Exception {
        // a certificate from a trusted CA, but for another host
        TestCertificates other = TestCertificates.create("other.example");
        try (S3ProxyServer elsewhere = S3ProxyServer.https(other.serverContext())) {
            elsewhere.createBucket(BUCKET);
            TlsTrust trusted = TlsTrust.fromEnv(Map.of(TlsTrust.CA_CERT_DATA, other.caPem()));
            long start = System.nanoTime();
            try (S3Backend b = elsewhere.backend(BUCKET, "p", tmp, 2, trusted)) {
                IOException e = assertThrows(IOException.class, b::create);
                System.out.println("S3TlsTest, wrong host: " + e.getMessage());
                assertTrue(e.getMessage().contains("TLS certificate was not accepted"), e.getMessage());
                assertTrue(e.getMessage().contains("127.0.0.1") && e.getMessage().contains("other.example"), e.getMessage());
                assertTrue(e.getMessage().contains("connect with a host name the certificate names"), e.getMessage());
            }
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "not retried with backoff");
            try (S3Backend b = elsewhere.backend(BUCKET, "p", tmp, 2, TlsTrust.of(Map.of(), List.of(), true))) {
                b.create();
                roundTrip(b);
            }
        }
    }

    @Test
    void connectionsBoundTheRequestsInFlight() throws Exception {
        Path pem = certs.writeCaPem(tmp.resolve("ca.pem"));
        TlsTrust tls = TlsTrust.of(Map.of(), List.of(pem), false);
        try (S3Backend setup = backend("connections", tls)) {
            setup.create();
            setup.save(Handle.CONFIG, "config".getBytes(StandardCharsets.UTF_8));
        }
        for (int connections : new int[] {1, 4}) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            server.delay(150);
            server.resetCounts();
            try (S3Backend b = server.backend(BUCKET, "connections", tmp.resolve("buffers"), connections, tls)) {
                assertEquals(connections, b.connections());
                List<Future<Long>> sizes = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    sizes.add(pool.submit(() -> b.size(Handle.CONFIG)));
                }
                for (Future<Long> f : sizes) {
                    assertEquals(6L, f.get());
                }
            } finally {
                server.delay(0);
                pool.shutdownNow();
            }
            assertEquals(connections, server.maxInFlight.get(),
                    connections + " connection(s): as many requests at a time, and not fewer");
        }
    }

    @Test
    void caBundlesAndTheSwitchAreValidated() throws Exception {
        StowageException e = assertThrows(StowageException.class,
                () -> TlsTrust.fromEnv(Map.of(TlsTrust.CA_CERT_DATA, "not a certificate")));
        assertEquals("CA_CERT_DATA holds no PEM certificate (-----BEGIN CERTIFICATE-----)", e.getMessage());
        e = assertThrows(StowageException.class, () -> TlsTrust.fromEnv(Map.of(TlsTrust.CA_CERT_DATA,
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")));
        assertTrue(e.getMessage().startsWith("CA_CERT_DATA: certificate 1 is not valid: "), e.getMessage());
        Path missing = tmp.resolve("missing.pem");
        e = assertThrows(StowageException.class, () -> TlsTrust.of(Map.of(), List.of(missing), false));
        assertTrue(e.getMessage().startsWith("cannot read CA certificate file " + missing + ": "), e.getMessage());
        e = assertThrows(StowageException.class, () -> TlsTrust.fromEnv(Map.of(TlsTrust.INSECURE_TLS, "yes")));
        assertEquals("invalid value \"yes\" for STOWAGE_INSECURE_TLS: expected true or false", e.getMessage());

        // a bundle: several certificates, with text and a key around them, as openssl writes them
        TestCertificates second = TestCertificates.forLocalhost();
        String bundle = "subject=CN = Stowage Test CA\n" + certs.caPem() + "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n" + second.caPem();
        assertEquals(List.of(certs.ca(), second.ca()), TlsTrust.fromEnv(Map.of(TlsTrust.CA_CERT_DATA, bundle)).certificates());
        Path file = second.writeCaPem(tmp.resolve("second.pem"));
        TlsTrust both = TlsTrust.of(Map.of(TlsTrust.CA_CERT_DATA, certs.caPem(), TlsTrust.INSECURE_TLS, "false"),
                List.of(file), false);
        assertEquals(List.of(second.ca(), certs.ca()), both.certificates());
        assertTrue(!both.insecure() && !both.isDefault());
        assertTrue(TlsTrust.fromEnv(Map.of(TlsTrust.INSECURE_TLS, "", TlsTrust.CA_CERT_DATA, "")).isDefault());
        assertTrue(TlsTrust.fromEnv(Map.of(TlsTrust.INSECURE_TLS, "TRUE")).insecure());
        // the extra roots come on top of the JVM's own
        assertTrue(both.trustManager().getAcceptedIssuers().length > 2, "the JVM's default roots are kept");
    }
}
