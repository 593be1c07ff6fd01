package dev.stowage.engine.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.backend.FaultInjectingProxy;
import dev.stowage.engine.backend.FaultInjectingProxy.Fault;
import dev.stowage.engine.backend.S3ProxyServer;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and a restore through a proxy in front of s3proxy that answers 503 and drops connections
 * at random (seeded): every operation completes, nothing partial is stored, and restic 0.14,
 * talking to s3proxy directly, checks every byte and restores the same tree.
 */
class S3FaultInjectionTest {
    /** Change it to see another pattern of faults; the failure message names the faults injected. */
    private static final long SEED = 20_261_121L;
    private static final String BUCKET = "faulty";
    private static final String PREFIX = "repo";

    @TempDir
    Path tmp;

    @Test
    void backupAndRestoreSurviveDroppedConnectionsAndServerErrors() throws Exception {
        Path source = tmp.resolve("src");
        writeTree(source);
        Path buffers = tmp.resolve("buffers");
        try (S3ProxyServer s3 = new S3ProxyServer();
             FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint(), FaultInjectingProxy.FaultPlan.random(SEED, 0.25, 2))) {
            s3.createBucket(BUCKET);
            // small packs: more uploads, so more of them meet a fault
            RepositoryOptions options = new RepositoryOptions(Compression.AUTO, RepositoryOptions.MIN_PACK_SIZE, 2);
            Snapshot first;
            Snapshot second;
            try (StowageRepo stowage = StowageRepo.of(Repository.init(s3.backend(proxy.endpoint(), BUCKET, PREFIX, buffers),
                    StowageRepo.PASSWORD, 2, StowageRepo.FAST_SCRYPT, Identity.current(), options))) {
                first = stowage.backup(StowageRepo.options("first"), source).snapshot();
                Files.write(source.resolve("added-later.bin"), TestData.random(99, 3 << 20));
                BackupResult r = stowage.backup(StowageRepo.options("second"), source);
                second = r.snapshot();
                assertEquals(first.id(), second.parent(), "the second backup used the first as parent");
                assertTrue(r.summary().dataBlobs() > 0, "the new file was backed up");

                Path restored = tmp.resolve("stowage-restore");
                stowage.restore(stowage.snapshot(second.id()), restored);
                FsTree.assertSame(source, restored.resolve(source.toString().substring(1)));
            }

            String faults = proxy.faults() + " faults in " + proxy.requests() + " requests: " + proxy.faultLog();
            System.out.println("S3FaultInjectionTest (seed " + SEED + "): " + faults);
            assertTrue(proxy.faults() >= 10, faults);
            for (Fault f : List.of(Fault.SERVICE_UNAVAILABLE, Fault.DROP_BEFORE_BODY, Fault.DROP_DURING_BODY,
                    Fault.DROP_AFTER_REQUEST, Fault.DROP_MID_RESPONSE)) {
                assertTrue(proxy.count(f) > 0, () -> "no " + f + " was injected; " + faults);
            }
            assertWholeObjects(s3);
            try (var left = Files.list(buffers)) {
                assertEquals(List.of(), left.toList(), "upload buffers left behind");
            }

            // restic, straight to s3proxy, reads every byte and restores the same tree
            Restic restic = new Restic("s3:" + s3.endpoint() + "/" + BUCKET + "/" + PREFIX, StowageRepo.PASSWORD,
                    Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                            "AWS_DEFAULT_REGION", "us-east-1"));
            restic.checkReadData();
            String listed = restic.ok("snapshots", "--json").out();
            assertTrue(listed.contains(first.id().hex()) && listed.contains(second.id().hex()), listed);
            Path target = tmp.resolve("restic-restore");
            restic.ok("restore", second.id().hex(), "--target", target.toString());
            FsTree.assertSame(source, target.resolve(source.toString().substring(1)));
        }
    }

    /** Every stored file but the config is named by the SHA-256 of its content: a partial upload would not match. */
    private static void assertWholeObjects(S3ProxyServer s3) throws Exception {
        List<String> names = new ArrayList<>();
        for (StorageMetadata m : s3.blobStore.list(BUCKET, ListContainerOptions.Builder.prefix(PREFIX + "/").recursive())) {
            String key = m.getName();
            names.add(key);
            if (key.equals(PREFIX + "/config")) {
                continue;
            }
            byte[] content;
            try (var in = s3.blobStore.getBlob(BUCKET, key).getPayload().openStream()) {
                content = in.readAllBytes();
            }
            String name = key.substring(key.lastIndexOf('/') + 1);
            assertTrue(Id.isValid(name), () -> "stray object " + key);
            assertEquals(name, Id.hash(content).hex(), () -> key + " is not whole (" + content.length + " bytes)");
        }
        assertTrue(names.stream().filter(n -> n.startsWith(PREFIX + "/data/")).count() >= 4, names::toString);
        assertEquals(0, names.stream().filter(n -> n.startsWith(PREFIX + "/locks/")).count(), names::toString);
    }

    /** About 14 MiB: large random and compressible files, and a few hundred small ones in subdirectories. */
    private static void writeTree(Path root) throws Exception {
        Files.createDirectories(root);
        Files.write(root.resolve("random.bin"), TestData.random(1, 6 << 20));
        Files.write(root.resolve("dump.sql"), TestData.text(4 << 20));
        Files.write(root.resolve("mixed.bin"), TestData.mixed(2, 1 << 20, 256 << 10, 512 << 10));
        Random rnd = new Random(3);
        for (int d = 0; d < 20; d++) {
            Path dir = Files.createDirectories(root.resolve("dir-" + d).resolve("sub"));
            for (int f = 0; f < 15; f++) {
                int size = rnd.nextInt(24 << 10);
                byte[] content = f % 3 == 0 ? TestData.random(d * 100L + f, size)
                        : Arrays.copyOf(("file " + d + "/" + f + "\n").repeat(1 + size / 10).getBytes(StandardCharsets.UTF_8), size);
                Files.write((f % 2 == 0 ? dir : dir.getParent()).resolve("f" + f + ".dat"), content);
            }
        }
    }
}
