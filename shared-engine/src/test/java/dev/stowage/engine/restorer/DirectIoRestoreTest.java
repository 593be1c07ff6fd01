package dev.stowage.engine.restorer;

import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.repository.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large files are written with direct I/O in whole aligned blocks and the rest of each blob
 * through the page cache. Blobs are content-defined chunks, so their edges fall anywhere in a
 * block; the same blob can land at several offsets (runs of zeros); files end mid-block.
 */
class DirectIoRestoreTest {
    @TempDir
    Path tmp;

    private Path source() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Random random = new Random(42);
        byte[] noise = new byte[5 * 1024 * 1024 + 4097];
        random.nextBytes(noise);
        Files.write(src.resolve("noise.bin"), noise);
        // one zero chunk, written at every offset it occurs at, then a tail of noise
        byte[] zeros = new byte[17 * 1024 * 1024 + 11];
        System.arraycopy(noise, 0, zeros, zeros.length - 300_000, 300_000);
        Files.write(src.resolve("zeros.bin"), zeros);
        Files.write(src.resolve("small.txt"), "less than a block\n".getBytes());
        byte[] blockAndOne = Arrays.copyOf(noise, 4097);
        Files.write(src.resolve("block-and-one"), blockAndOne);
        for (Path f : new Path[] {src.resolve("noise.bin"), src.resolve("zeros.bin"), src.resolve("small.txt")}) {
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_123L));
        }
        return src;
    }

    private RestoreResult restore(Repository repo, Snapshot s, Path target, long directIoMinSize) throws IOException {
        return new Restorer(repo, RestoreOptions.defaults().withDirectIoMinSize(directIoMinSize), new RestoreProgress())
                .restore(s, target);
    }

    private static void assertSameFiles(Path src, Path restored) throws IOException {
        for (String name : new String[] {"noise.bin", "zeros.bin", "small.txt", "block-and-one"}) {
            Path a = src.resolve(name);
            Path b = restored.resolve(name);
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), name);
            assertEquals(Files.getLastModifiedTime(a, LinkOption.NOFOLLOW_LINKS),
                    Files.getLastModifiedTime(b, LinkOption.NOFOLLOW_LINKS), name + " mtime");
            assertEquals(Files.getPosixFilePermissions(a), Files.getPosixFilePermissions(b), name + " mode");
        }
    }

    @Test
    void everyFileWrittenDirectIsRestoredExactly() throws IOException {
        Path src = source();
        try (Repository repo = TestRepo.create(tmp.resolve("repo"))) {
            Snapshot s = TestRepo.backup(repo, src);
            RestoreResult all = restore(repo, s, tmp.resolve("all-direct"), 0);
            assertSameFiles(src, tmp.resolve("all-direct").resolve(src.toString().substring(1)));
            // the test's temporary directory is on ext4, which takes direct I/O
            assertTrue(all.directBytes() > 20L << 20, "bytes written direct: " + all.directBytes());
            assertTrue(all.directBytes() < all.bytes(), "block edges go through the page cache");
        }
    }

    @Test
    void onlyFilesFromTheThresholdUpGoDirect() throws IOException {
        Path src = source();
        try (Repository repo = TestRepo.create(tmp.resolve("repo"))) {
            Snapshot s = TestRepo.backup(repo, src);

            RestoreResult large = restore(repo, s, tmp.resolve("large"), 16L << 20);
            assertSameFiles(src, tmp.resolve("large").resolve(src.toString().substring(1)));
            long zeros = Files.size(src.resolve("zeros.bin"));
            assertTrue(large.directBytes() > zeros - (1 << 20) && large.directBytes() <= zeros,
                    "only zeros.bin goes direct: " + large.directBytes());

            RestoreResult none = restore(repo, s, tmp.resolve("none"), Long.MAX_VALUE);
            assertSameFiles(src, tmp.resolve("none").resolve(src.toString().substring(1)));
            assertEquals(0, none.directBytes());
            assertEquals(large.bytes(), none.bytes());
        }
    }
}
