package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract on s3proxy, plus what is particular to S3: keys under a prefix, local buffering. */
class S3BackendContractTest extends BackendContractTest {
    private static final String BUCKET = "stowage-test";
    private static S3ProxyServer server;

    @TempDir
    Path tmp;
    private String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected Backend newBackend() {
        prefix = "repos/" + UUID.randomUUID();
        return server.backend(BUCKET, prefix, tmp.resolve("buffers"));
    }

    @Override
    protected void writeStray(String path, byte[] content) {
        server.blobStore.putBlob(BUCKET, server.blobStore.blobBuilder(prefix + "/" + path).payload(content).build());
    }

    private List<String> keys() {
        return server.blobStore.list(BUCKET, org.jclouds.blobstore.options.ListContainerOptions.Builder
                .prefix(prefix + "/").recursive()).stream().map(m -> m.getName()).sorted().toList();
    }

    private List<Path> buffers() throws IOException {
        Path dir = tmp.resolve("buffers");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void objectsFollowResticsLayoutUnderThePrefix() throws Exception {
        byte[] pack = utf8("pack");
        byte[] key = utf8("key");
        Handle p = handle(FileType.PACK, pack);
        Handle k = handle(FileType.KEY, key);
        backend.save(Handle.CONFIG, utf8("cfg"));
        backend.save(k, key);
        try (Backend.PendingFile f = backend.create(FileType.PACK)) {
            f.write(pack, 0, pack.length);
            assertEquals(1, buffers().size(), "the pack is buffered in a local file");
            f.commit(p);
        }
        assertEquals(List.of(prefix + "/config", prefix + "/data/" + p.name().substring(0, 2) + "/" + p.name(),
                prefix + "/keys/" + k.name()), keys());
        assertEquals(List.of(), buffers());
        assertTrue(backend.location().endsWith("/" + BUCKET + "/" + prefix), backend.location());
    }

    @Test
    void abandonedPendingFilesLeaveNoBufferBehind() throws Exception {
        try (Backend.PendingFile f = backend.create(FileType.PACK)) {
            f.write(new byte[100], 0, 100);
        }
        assertEquals(List.of(), buffers());
        assertEquals(List.of(), keys());
    }

    @Test
    void createMakesAMissingBucket() throws Exception {
        try (S3Backend other = server.backend("fresh-bucket", "", tmp)) {
            other.create();
            other.save(Handle.CONFIG, utf8("cfg"));
            assertEquals(List.of("config"), server.blobStore.list("fresh-bucket").stream().map(m -> m.getName()).toList());
        }
    }

    @Test
    void wrongCredentialsFailWithoutRetryingForever() throws Exception {
        try (S3Backend wrong = new S3Backend(new S3Backend.Settings(server.endpoint(), true, "us-east-1", BUCKET, prefix,
                S3ProxyServer.ACCESS_KEY, "not-the-secret", null), tmp)) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> wrong.load(Handle.CONFIG));
            assertTrue(!(e instanceof NotFoundException), e.toString());
            assertTrue(e.getMessage().contains("config"), e.getMessage());
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "auth failures are not retried");
        }
    }
}
