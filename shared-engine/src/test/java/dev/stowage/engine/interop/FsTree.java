package dev.stowage.engine.interop;

import dev.stowage.engine.fs.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A directory tree as {@code lstat} sees it: every entry below a root (and the root itself, as
 * ""), keyed by its relative path of raw name bytes. Two trees compare equal when they hold the
 * same names (as bytes) with the same type, permission bits (including setuid, setgid and sticky),
 * size, mtime to the nanosecond, uid, gid, content hash, symlink target bytes, device number,
 * {@code user.} extended attributes, and the same grouping of regular files into hard links. Access times are
 * not compared: restic records mtime as atime. Directory sizes and link counts depend on the file
 * system, not on the backup, and are not compared either.
 */
final class FsTree {
    private static final HexFormat HEX = HexFormat.of();

    /** One entry's metadata. {@code sha256} is set for regular files, {@code linkTarget} for symlinks. */
    record Entry(String type, int permissions, long size, Instant mtime, int uid, int gid, String sha256,
                 byte[] linkTarget, Map<String, String> xattrs, long rdev, long device, long inode, int links) {
        List<String> differencesTo(Entry o) {
            List<String> d = new ArrayList<>();
            diff(d, "type", type, o.type);
            diff(d, "mode", Integer.toOctalString(permissions), Integer.toOctalString(o.permissions));
            if (type.equals("file") || type.equals("symlink")) {
                diff(d, "size", size, o.size);
            }
            diff(d, "mtime", mtime, o.mtime);
            diff(d, "uid", uid, o.uid);
            diff(d, "gid", gid, o.gid);
            diff(d, "content sha256", sha256, o.sha256);
            diff(d, "symlink target", show(linkTarget), show(o.linkTarget));
            diff(d, "user xattrs", xattrs, o.xattrs);
            if (type.equals("chardev") || type.equals("dev")) {
                diff(d, "device number", Long.toHexString(rdev), Long.toHexString(o.rdev));
            }
            return d;
        }

        private static void diff(List<String> out, String what, Object a, Object b) {
            if (!Objects.equals(a, b)) {
                out.add(what + " " + a + " != " + b);
            }
        }
    }

    private final Path root;
    private final TreeMap<String, Entry> entries;

    private FsTree(Path root, TreeMap<String, Entry> entries) {
        this.root = root;
        this.entries = entries;
    }

    /** Reads every entry below {@code root}, without following symbolic links or opening fifos. */
    static FsTree scan(Path root) throws IOException {
        TreeMap<String, Entry> entries = new TreeMap<>();
        walk(root, "", entries);
        return new FsTree(root, entries);
    }

    private static void walk(Path p, String key, TreeMap<String, Entry> out) throws IOException {
        Entry e = entry(p);
        out.put(key, e);
        if (!e.type().equals("dir")) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
            for (Path child : ds) {
                // names as bytes; ISO-8859-1 maps each byte to one char, so keys sort by bytes
                String name = new String(Names.bytes(child), StandardCharsets.ISO_8859_1);
                walk(child, key.isEmpty() ? name : key + "/" + name, out);
            }
        }
    }

    private static Entry entry(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String type = switch (mode & 0170000) {
            case 0100000 -> "file";
            case 0040000 -> "dir";
            case 0120000 -> "symlink";
            case 0010000 -> "fifo";
            case 0020000 -> "chardev";
            case 0060000 -> "dev";
            case 0140000 -> "socket";
            default -> "unknown " + Integer.toOctalString(mode);
        };
        String sha = type.equals("file") ? sha256(p) : null;
        byte[] target = type.equals("symlink") ? Names.linkTarget(p) : null;
        Map<String, String> xattrs = type.equals("file") || type.equals("dir") ? userXattrs(p) : Map.of();
        return new Entry(type, mode & 07777, (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                (Integer) a.get("uid"), (Integer) a.get("gid"), sha, target, xattrs, (Long) a.get("rdev"), (Long) a.get("dev"),
                (Long) a.get("ino"), (Integer) a.get("nlink"));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HEX.formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> userXattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        try {
            for (String name : view.list()) {
                ByteBuffer buf = ByteBuffer.allocate(view.size(name));
                view.read(name, buf);
                out.put(name, HEX.formatHex(buf.array()));
            }
        } catch (FileSystemException e) {
            return Map.of(); // no xattr support here
        }
        return out;
    }

    Path root() {
        return root;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    Entry get(String relativePath) {
        return entries.get(relativePath);
    }

    /** The sets of regular files (by path) that are hard links of each other within the tree. */
    Set<Set<String>> hardLinkGroups() {
        Map<String, Set<String>> byInode = new TreeMap<>();
        entries.forEach((path, e) -> {
            if (e.type().equals("file") && e.links() > 1) {
                byInode.computeIfAbsent(e.device() + ":" + e.inode(), k -> new TreeSet<>()).add(show(path));
            }
        });
        return byInode.values().stream().filter(s -> s.size() > 1).collect(Collectors.toSet());
    }

    /** Every difference between this (the expected tree) and {@code actual}, one per line. */
    List<String> differencesTo(FsTree actual) {
        List<String> d = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry other = actual.entries.get(e.getKey());
            String name = e.getKey().isEmpty() ? "(root)" : show(e.getKey());
            if (other == null) {
                d.add(name + ": missing");
                continue;
            }
            for (String x : e.getValue().differencesTo(other)) {
                d.add(name + ": " + x);
            }
        }
        for (String k : actual.entries.keySet()) {
            if (!entries.containsKey(k)) {
                d.add(show(k) + ": unexpected");
            }
        }
        Set<Set<String>> groups = hardLinkGroups();
        Set<Set<String>> otherGroups = actual.hardLinkGroups();
        if (!groups.equals(otherGroups)) {
            d.add("hard links " + groups + " != " + otherGroups);
        }
        return d;
    }

    /** Fails, listing every difference, unless {@code actual} reproduces {@code expected} exactly. */
    static void assertSame(Path expected, Path actual) throws IOException {
        FsTree e = scan(expected);
        FsTree a = scan(actual);
        List<String> d = e.differencesTo(a);
        assertTrue(d.isEmpty(), () -> d.size() + " differences between " + expected + " and " + actual + ":\n  "
                + String.join("\n  ", d));
    }

    /** A key or name with every byte that is not printable ASCII shown as \xNN. */
    static String show(String key) {
        return show(key.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String show(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    /** The key of a relative path given as name components (as bytes). */
    static String key(byte[]... names) {
        return Arrays.stream(names).map(n -> new String(n, StandardCharsets.ISO_8859_1)).collect(Collectors.joining("/"));
    }
}
