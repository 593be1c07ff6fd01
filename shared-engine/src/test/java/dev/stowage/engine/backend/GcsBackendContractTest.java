package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract on google-cloud-nio's in-memory GCS, plus what is particular to GCS: object
 * names under a prefix, local buffering of packs.
 *
 * <p>The fake's limits, and how this test lives with them:
 * <ul>
 *   <li>{@code LocalStorageHelper.getOptions()} shares one fake between all its callers and rejects
 *       every request option; {@code customOptions(false)} gives each test its own fake that accepts
 *       them, so the backend runs with the options it uses on GCS ({@code disableGzipContent},
 *       {@code fields}). The fake supports no generation preconditions beyond reads; the backend
 *       uses none, as restic does.</li>
 *   <li>The fake answers a range running past the end of an object with zero bytes up to the
 *       range's end instead of stopping at the end (its mock HTTP response does not clamp the range),
 *       so {@link #rangesStopAtTheEnd()} is false here; {@link GcsBackendHttpTest} checks short
 *       ranges against an HTTP server that answers as GCS does.</li>
 *   <li>The fake cannot create buckets or read bucket metadata: {@code create()} finds the bucket by
 *       listing it (which the fake answers), and creating a missing bucket is checked in
 *       {@link GcsBackendHttpTest}.</li>
 * </ul>
 */
class GcsBackendContractTest extends BackendContractTest {
    private static final String BUCKET = "stowage-test";

    @TempDir
    Path tmp;
    private Storage storage;
    private String prefix;

    @Override
    protected Backend newBackend() {
        storage = LocalStorageHelper.customOptions(false).getService();
        prefix = "repos/" + UUID.randomUUID();
        return new GcsBackend(storage, new GcsBackend.Settings(BUCKET, prefix, 4), tmp.resolve("buffers"));
    }

    @Override
    protected void writeStray(String path, byte[] content) {
        storage.create(BlobInfo.newBuilder(BUCKET, prefix + "/" + path).build(), content);
    }

    @Override
    protected boolean rangesStopAtTheEnd() {
        return false;
    }

    private List<String> names() {
        return StreamSupport.stream(storage.list(BUCKET, Storage.BlobListOption.prefix(prefix + "/")).iterateAll().spliterator(), false)
                .map(Blob::getName).sorted().toList();
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
            assertEquals(List.of(prefix + "/config", prefix + "/keys/" + k.name()), names(), "nothing uploaded before the commit");
            f.commit(p);
        }
        assertEquals(List.of(prefix + "/config", prefix + "/data/" + p.name().substring(0, 2) + "/" + p.name(),
                prefix + "/keys/" + k.name()), names());
        assertArrayEquals(pack, storage.readAllBytes(BUCKET, prefix + "/data/" + p.name().substring(0, 2) + "/" + p.name()));
        assertEquals(List.of(), buffers());
        assertEquals("gs:" + BUCKET + ":/" + prefix, backend.location());
    }

    @Test
    void anEmptyPrefixIsTheBucketsRoot() throws Exception {
        try (GcsBackend root = new GcsBackend(storage, new GcsBackend.Settings(BUCKET, "/", 1), tmp)) {
            byte[] key = utf8("key");
            Handle k = handle(FileType.KEY, key);
            root.save(k, key);
            assertArrayEquals(key, storage.readAllBytes(BUCKET, "keys/" + k.name()));
            assertEquals(List.of(k.name()), root.list(FileType.KEY));
            assertEquals("gs:" + BUCKET + ":/", root.location());
        }
    }

    @Test
    void abandonedPendingFilesLeaveNoBufferBehind() throws Exception {
        try (Backend.PendingFile f = backend.create(FileType.PACK)) {
            f.write(new byte[100], 0, 100);
        }
        assertEquals(List.of(), buffers());
        assertEquals(List.of(), names());
    }

    @Test
    void emptyPendingFilesAreCommittedToo() throws Exception {
        Handle h = handle(FileType.INDEX, new byte[0]);
        try (Backend.PendingFile f = backend.create(FileType.INDEX)) {
            f.commit(h);
        }
        assertEquals(List.of(h.name()), backend.list(FileType.INDEX));
        assertEquals(0, backend.load(h).length);
        assertTrue(buffers().isEmpty());
    }

    @Test
    void connectionsAreTheParallelUploads() {
        assertEquals(4, backend.connections());
    }
}
