package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.backend.FaultInjectingProxy.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every backend operation through {@link FaultInjectingProxy} with one kind of fault on the first
 * attempt of every request: the SDK's retries must hide it, uploads must be replayed whole, and no
 * object may end up partial under its final name.
 */
class S3FaultsTest {
    private static final String BUCKET = "faults";
    private static S3ProxyServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = new S3ProxyServer();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Handle named(FileType type, byte[] content) {
        return new Handle(type, Id.hash(content).hex());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyOperationSurvivesAFaultOnItsFirstAttempt(Fault fault) throws Exception {
        String prefix = "op-" + UUID.randomUUID();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(server.endpoint(),
                r -> r.occurrence() == 0 ? fault : Fault.NONE);
             S3Backend b = server.backend(proxy.endpoint(), BUCKET, prefix, tmp.resolve("buffers"))) {
            byte[] small = random(3000, 1);
            Handle smallHandle = named(FileType.INDEX, small);
            b.save(smallHandle, small);

            // a pack big enough that a dropped upload is cut off part-way
            byte[] pack = random(5 << 20, 2);
            Handle packHandle = named(FileType.PACK, pack);
            try (Backend.PendingFile f = b.create(FileType.PACK)) {
                f.write(pack, 0, pack.length);
                f.commit(packHandle);
            }

            assertArrayEquals(small, b.load(smallHandle));
            assertArrayEquals(pack, b.load(packHandle));
            byte[] range = b.load(packHandle, 1_000_000, 2_000_000);
            assertArrayEquals(java.util.Arrays.copyOfRange(pack, 1_000_000, 3_000_000), range);
            assertEquals(pack.length, b.size(packHandle));
            assertTrue(b.exists(packHandle));
            assertEquals(List.of(packHandle.name()), b.list(FileType.PACK));
            assertEquals(List.of(smallHandle.name()), b.list(FileType.INDEX));
            b.remove(smallHandle);
            assertFalse(b.exists(smallHandle));

            assertTrue(proxy.count(fault) >= 9, () -> fault + " injected only " + proxy.count(fault) + " times: " + proxy.faultLog());
            // the stored objects are whole: their content hashes to their name
            for (var m : server.blobStore.list(BUCKET, ListContainerOptions.Builder.prefix(prefix + "/").recursive())) {
                byte[] stored = server.blobStore.getBlob(BUCKET, m.getName()).getPayload().openStream().readAllBytes();
                String name = m.getName().substring(m.getName().lastIndexOf('/') + 1);
                assertEquals(name, Id.hash(stored).hex(), m.getName() + " is not whole");
            }
            assertEquals(List.of(), listDir(tmp.resolve("buffers")), "no upload buffer is left behind");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"DROP_AFTER_REQUEST", "DROP_MID_RESPONSE", "SERVICE_UNAVAILABLE"})
    void creatingABucketSurvivesALostAnswer(Fault fault) throws Exception {
        String bucket = "fresh-" + fault.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(server.endpoint(),
                r -> r.method().equals("PUT") && r.occurrence() == 0 ? fault : Fault.NONE);
             S3Backend b = server.backend(proxy.endpoint(), bucket, "", tmp.resolve("buffers"))) {
            b.create();
            assertTrue(server.blobStore.containerExists(bucket));
            assertEquals(1, proxy.count(fault), proxy.faultLog()::toString);
        }
    }

    private static List<Path> listDir(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
