package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's retry policy as configured: 5xx and throttling are retried with backoff, 403 and 404 are not. */
class S3RetryTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    /** Answers the first {@code failures} requests with {@code failStatus}, then {@code finalStatus} with a body. */
    private S3Backend serve(int failures, int failStatus, int finalStatus) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = requests.incrementAndGet();
            int status = n <= failures ? failStatus : finalStatus;
            byte[] body = status == 200 ? "payload".getBytes(StandardCharsets.UTF_8)
                    : ("<Error><Code>" + (status == 404 ? "NoSuchKey" : status == 403 ? "AccessDenied"
                    : status == 503 ? "SlowDown" : "InternalError") + "</Code><Message>m</Message></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/octet-stream" : "application/xml");
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return new S3Backend(new S3Backend.Settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                true, "us-east-1", "bucket", "prefix", "key", "secret", null), tmp);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        try (S3Backend b = serve(2, 500, 200)) {
            assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), b.load(Handle.CONFIG));
            assertEquals(3, requests.get());
        }
    }

    @Test
    void throttlingIsRetried() throws Exception {
        try (S3Backend b = serve(1, 503, 200)) {
            assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), b.load(Handle.CONFIG));
            assertEquals(2, requests.get());
        }
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        try (S3Backend b = serve(0, 0, 404)) {
            assertThrows(NotFoundException.class, () -> b.load(Handle.CONFIG));
            assertEquals(1, requests.get());
            requests.set(0);
            assertFalse(b.exists(Handle.CONFIG));
            assertEquals(1, requests.get());
        }
    }

    @Test
    void accessDeniedIsNotRetried() throws Exception {
        try (S3Backend b = serve(0, 0, 403)) {
            IOException e = assertThrows(IOException.class, () -> b.load(Handle.CONFIG));
            assertFalse(e instanceof NotFoundException);
            assertTrue(e.getMessage().contains("access denied"), e.getMessage());
            assertEquals(1, requests.get());
        }
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheAttemptLimit() throws Exception {
        try (S3Backend b = serve(Integer.MAX_VALUE, 500, 200)) {
            IOException e = assertThrows(IOException.class, () -> b.size(Handle.CONFIG));
            assertFalse(e instanceof NotFoundException);
            assertEquals(S3Backend.MAX_ATTEMPTS, requests.get());
        }
    }
}
