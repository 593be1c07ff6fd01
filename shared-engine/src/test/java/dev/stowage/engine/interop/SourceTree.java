package dev.stowage.engine.interop;

import dev.stowage.engine.fs.Names;
import dev.stowage.engine.fs.SpecialFiles;
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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Builds the source tree the interoperability tests back up: every kind of entry restic handles
 * on Linux, with odd names (as raw bytes), special mode bits, nanosecond mtimes (one before 1970),
 * hard links, extended attributes and, when running as root, foreign owners and device nodes.
 */
final class SourceTree {
    /** Size of the multi-chunk file: more than restic's 8 MiB maximum chunk size. */
    static final int BIG_SIZE = (8 << 20) + (512 << 10) + 123;

    /** Names that exercise Go quoting, JSON escaping and byte-order sorting. */
    static final List<byte[]> ODD_NAMES = List.of(
            utf8("we\"ird\\name"),
            utf8("new\nline"),
            utf8("tab\there"),
            utf8("ctl\u0001\b\f\u007f"),
            utf8("é日本"),
            bytes("bad", 0xff, "name"),
            bytes("trunc", 0xc3),
            utf8("<tag>&amp;"),
            utf8("line\u2028sep"),
            // sort differently in UTF-16 (String.compareTo) and in UTF-8 bytes (restic)
            utf8("z\uD83D\uDE00"),
            utf8("z\uFF71"),
            utf8(" spaced  out "),
            utf8("-dash 'single' $HOME *?[x]"));

    /** A time before 1970 with a fraction: negative seconds, positive nanoseconds. */
    static final Instant PRE_EPOCH = Instant.parse("1969-07-20T20:17:40.000000001Z");

    private final Path root;
    private final List<Path> dirs = new ArrayList<>();
    private final List<Path> others = new ArrayList<>();
    private long tick;

    private SourceTree(Path root) {
        this.root = root;
    }

    /** Creates the tree at {@code root} (which must not exist) and returns it. */
    static Path create(Path root) throws IOException {
        SourceTree t = new SourceTree(root);
        t.build();
        return root;
    }

    /** Whether foreign owners were set and device nodes made (only root can). */
    static boolean hasForeignOwners() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private void build() throws IOException {
        dir(root);
        file("small.txt", "hello, interop\n".getBytes(StandardCharsets.UTF_8));
        file("empty", new byte[0]);
        file("big.bin", TestData.random(1, BIG_SIZE));
        file("zeros.bin", new byte[2 << 20]);
        dir(root.resolve("dir"));
        dir(root.resolve("dir/nested"));
        dir(root.resolve("dir/nested/deeper"));
        file("dir/nested/deeper/leaf.txt", "leaf\n".getBytes(StandardCharsets.UTF_8));
        dir(root.resolve("dir/emptysub"));
        dir(root.resolve("emptydir"));

        // hard links: a group of three across directories, and a pair of empty files
        file("hard-a", "linked content\n".getBytes(StandardCharsets.UTF_8));
        Files.createLink(root.resolve("dir/hard-b"), root.resolve("hard-a"));
        Files.createLink(root.resolve("dir/nested/hard-c"), root.resolve("hard-a"));
        file("hard-empty-1", new byte[0]);
        Files.createLink(root.resolve("hard-empty-2"), root.resolve("hard-empty-1"));

        symlink("link-rel", "small.txt");
        symlink("link-dir", "dir");
        symlink("link-dangling", "does/not/exist");
        symlink("link-abs", "/nonexistent/absolute/target");
        symlink("link-odd", "we\"ird\\name");
        symlink("link-utf8", "é日本/→");

        Path fifo = root.resolve("fifo");
        SpecialFiles.mkfifo(fifo);
        others.add(fifo);

        // odd names, each a file; one of them also as a directory holding a file
        int i = 0;
        for (byte[] name : ODD_NAMES) {
            Path p = Names.resolve(root, name);
            Files.write(p, ("odd #" + i++ + "\n").getBytes(StandardCharsets.UTF_8));
            others.add(p);
        }
        Path oddDir = Names.resolve(root, bytes("dir ", 0xfe, "é\n"));
        dir(oddDir);
        Path inner = Names.resolve(oddDir, bytes("inner", 0x01, 0xff));
        Files.write(inner, "inside an odd directory\n".getBytes(StandardCharsets.UTF_8));
        others.add(inner);

        // mode bits
        file("setuid", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        file("setgid", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        file("private", "secret\n".getBytes(StandardCharsets.UTF_8));
        file("readonly", "do not touch\n".getBytes(StandardCharsets.UTF_8));
        dir(root.resolve("sticky-dir"));
        file("sticky-dir/in-sticky", "x".getBytes(StandardCharsets.UTF_8));
        dir(root.resolve("setgid-dir"));
        dir(root.resolve("ro-dir"));
        file("ro-dir/in-ro", "y".getBytes(StandardCharsets.UTF_8));
        file("pre-epoch", "old\n".getBytes(StandardCharsets.UTF_8));
        symlink("pre-epoch-link", "pre-epoch");
        file("whole-second", "round\n".getBytes(StandardCharsets.UTF_8));

        if (hasForeignOwners()) {
            // owners first: chown clears setuid and setgid
            file("owned", "foreign owner\n".getBytes(StandardCharsets.UTF_8));
            owner(root.resolve("owned"), 1234, 5678);
            dir(root.resolve("owned-dir"));
            owner(root.resolve("owned-dir"), 2345, 6789);
            symlink("owned-link", "owned");
            owner(root.resolve("owned-link"), 3456, 7890);
            mode(root.resolve("owned"), 04750);
            // device nodes need CAP_MKNOD; a minor above 255 checks the split encoding of st_rdev
            mknod("chardev", "c", 1, 3);
            mknod("blockdev", "b", 259, 70000);
        }

        xattr(root.resolve("small.txt"), "comment", "hello".getBytes(StandardCharsets.UTF_8));
        xattr(root.resolve("small.txt"), "binary", new byte[] {0, 1, 2, (byte) 0xff});
        xattr(root.resolve("empty"), "empty-value", new byte[0]);
        xattr(root.resolve("dir"), "on-a-dir", "d".getBytes(StandardCharsets.UTF_8));

        mode(root.resolve("setuid"), 04755);
        mode(root.resolve("setgid"), 02755);
        mode(root.resolve("private"), 0600);
        mode(root.resolve("readonly"), 0444);
        mode(fifo, 0640);
        mode(root.resolve("sticky-dir"), 01777);
        mode(root.resolve("setgid-dir"), 02775);
        mode(root.resolve("dir/emptysub"), 0700);

        // times last, children before their directories, so nothing disturbs them afterwards
        for (Path p : others) {
            times(p, nextTime());
        }
        times(root.resolve("pre-epoch"), PRE_EPOCH);
        times(root.resolve("pre-epoch-link"), PRE_EPOCH.plusNanos(1));
        times(root.resolve("whole-second"), Instant.parse("2020-02-29T12:00:00Z"));
        mode(root.resolve("ro-dir"), 0555);
        for (int d = dirs.size() - 1; d >= 0; d--) {
            times(dirs.get(d), nextTime());
        }
        assertEquals(04755, (Integer) Files.getAttribute(root.resolve("setuid"), "unix:mode") & 07777);
    }

    private Instant nextTime() {
        // distinct times with every nanosecond digit in use
        tick++;
        return Instant.parse("2021-03-04T05:06:07.123456789Z").plusSeconds(tick * 3607).plusNanos(tick * 1_001_001);
    }

    private void dir(Path p) throws IOException {
        Files.createDirectory(p);
        dirs.add(p);
    }

    private void file(String rel, byte[] content) throws IOException {
        Path p = root.resolve(rel);
        Files.write(p, content);
        others.add(p);
    }

    private void symlink(String rel, String target) throws IOException {
        Path p = root.resolve(rel);
        Files.createSymbolicLink(p, Path.of(target));
        others.add(p);
    }

    private void mknod(String rel, String type, int major, int minor) throws IOException {
        run(List.of("mknod", "-m", "620", rel, type, Integer.toString(major), Integer.toString(minor)), root);
        others.add(root.resolve(rel));
    }

    private static void owner(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void mode(Path p, int mode) throws IOException {
        // by path: the JDK's no-follow variant opens the file, which blocks on a fifo
        Files.setAttribute(p, "unix:mode", mode);
    }

    /** Sets an extended attribute if the file system supports them (ext4 and tmpfs do). */
    private static void xattr(Path p, String name, byte[] value) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        try {
            view.write(name, ByteBuffer.wrap(value));
        } catch (java.nio.file.FileSystemException e) {
            // not supported here; the comparisons then see no attributes on either side
        }
    }

    private static void times(Path p, Instant t) throws IOException {
        boolean plain = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        if (plain && !t.isBefore(Instant.EPOCH)) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(t), FileTime.from(t), null);
        } else {
            // symlinks (the JDK's lutimes drops nanoseconds), fifos (the JDK would open them), and
            // times before 1970 (the JDK sets those with fractions to 1970)
            touch(p, t);
        }
    }

    /** Sets both times with touch, given as a UTC date so that times before 1970 are exact. */
    private static void touch(Path p, Instant t) throws IOException {
        String date = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS '+0000'")
                .withZone(java.time.ZoneOffset.UTC).format(t);
        run(List.of("touch", "-h", "-d", date, p.getFileName().toString()), p.getParent());
    }

    private static void run(List<String> command, Path dir) throws IOException {
        Process proc = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, proc.waitFor(), () -> String.join(" ", command) + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Concatenates strings (as UTF-8) and single bytes given as ints. */
    static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object o : parts) {
            if (o instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(utf8((String) o));
            }
        }
        return out.toByteArray();
    }
}
