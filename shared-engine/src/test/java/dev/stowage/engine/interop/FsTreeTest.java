package dev.stowage.engine.interop;

import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.fs.Names;
import dev.stowage.engine.repository.Compression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tree comparison the interoperability tests rely on: it sees the source tree's features, it
 * accepts Stowage's own restore of it, and it reports each kind of difference.
 */
class FsTreeTest {
    @Test
    void comparisonSeesEveryDifference(@TempDir Path tmp) throws IOException {
        Path source = SourceTree.create(tmp.resolve("src"));
        FsTree tree = FsTree.scan(source);
        assertSourceHasEverything(tree);

        Path copy = tmp.resolve("copy");
        try (StowageRepo s = StowageRepo.init(tmp.resolve("repo"), 2, Compression.AUTO)) {
            BackupResult r = s.backup(StowageRepo.options(), source);
            s.restore(r.snapshot(), copy);
        }
        Path restored = copy.resolve(source.toString().substring(1));
        FsTree.assertSame(source, restored);

        Path small = restored.resolve("small.txt");
        Files.setAttribute(restored.resolve("setuid"), "unix:mode", 0755);
        setMtime(restored.resolve("big.bin"), tree.get("big.bin").mtime().plusNanos(1));
        Instant smallTime = tree.get("small.txt").mtime();
        Files.write(small, "HELLO, interop\n".getBytes(StandardCharsets.UTF_8));
        setMtime(small, smallTime);
        Files.getFileAttributeView(small, UserDefinedFileAttributeView.class).delete("comment");
        Files.delete(restored.resolve("dir/hard-b"));
        Files.copy(restored.resolve("hard-a"), restored.resolve("dir/hard-b"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        setMtime(restored.resolve("dir/hard-b"), tree.get("dir/hard-b").mtime());
        Files.delete(restored.resolve("link-rel"));
        Files.createSymbolicLink(restored.resolve("link-rel"), Path.of("small.tx"));
        Files.move(Names.resolve(restored, SourceTree.bytes("bad", 0xff, "name")),
                Names.resolve(restored, SourceTree.bytes("bad", 0xfe, "name")));
        Files.setAttribute(restored.resolve("empty"), "unix:gid", 4242, LinkOption.NOFOLLOW_LINKS);
        // the changes above touched these directories; only the entries inside should differ
        setMtime(restored, tree.get("").mtime());
        setMtime(restored.resolve("dir"), tree.get("dir").mtime());

        List<String> d = tree.differencesTo(FsTree.scan(restored));
        String all = String.join("\n", d);
        assertEquals(11, d.size(), all);
        assertTrue(d.contains("setuid: mode 4755 != 755"), all);
        assertTrue(d.stream().anyMatch(x -> x.startsWith("big.bin: mtime")), all);
        assertTrue(d.stream().anyMatch(x -> x.startsWith("small.txt: content sha256")), all);
        assertTrue(d.stream().anyMatch(x -> x.startsWith("small.txt: user xattrs")), all);
        assertTrue(d.stream().anyMatch(x -> x.startsWith("hard links")), all);
        assertTrue(d.contains("link-rel: size 9 != 8"), all);
        assertTrue(d.contains("link-rel: symlink target small.txt != small.tx"), all);
        assertTrue(d.stream().anyMatch(x -> x.startsWith("link-rel: mtime")), all);
        assertTrue(d.contains("bad\\xffname: missing"), all);
        assertTrue(d.contains("bad\\xfename: unexpected"), all);
        assertTrue(d.contains("empty: gid 0 != 4242"), all);
    }

    private static void assertSourceHasEverything(FsTree tree) throws IOException {
        assertTrue(tree.entries().size() >= 50, "entries: " + tree.entries().size());
        assertEquals("fifo", tree.get("fifo").type());
        assertEquals(0640, tree.get("fifo").permissions());
        assertEquals(SourceTree.BIG_SIZE, tree.get("big.bin").size());
        assertEquals(04755, tree.get("setuid").permissions());
        assertEquals(01777, tree.get("sticky-dir").permissions());
        assertEquals(SourceTree.PRE_EPOCH, tree.get("pre-epoch").mtime());
        assertEquals(123456789 + 1_001_001, tree.get("small.txt").mtime().getNano());
        assertEquals(2, tree.hardLinkGroups().size());
        assertEquals("does/not/exist", new String(tree.get("link-dangling").linkTarget(), StandardCharsets.UTF_8));
        for (byte[] name : SourceTree.ODD_NAMES) {
            assertEquals("file", tree.get(FsTree.key(name)).type(), FsTree.show(name));
        }
        if (SourceTree.hasForeignOwners()) {
            assertEquals(1234, tree.get("owned").uid());
            assertEquals(5678, tree.get("owned").gid());
            assertEquals(04750, tree.get("owned").permissions());
            assertEquals(3456, tree.get("owned-link").uid());
            assertEquals("chardev", tree.get("chardev").type());
            assertEquals("dev", tree.get("blockdev").type());
        }
        if (xattrsSupported(tree.root())) {
            assertEquals(2, tree.get("small.txt").xattrs().size());
            assertEquals(1, tree.get("dir").xattrs().size());
        }
    }

    private static boolean xattrsSupported(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir.getParent(), "xattr", "");
        try {
            Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class).write("probe", ByteBuffer.allocate(1));
            return true;
        } catch (java.nio.file.FileSystemException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    private static void setMtime(Path p, Instant t) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(t), null, null);
    }
}
