package dev.stowage.engine.golden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The shared golden data (../shared, system property {@code stowage.shared}) and a small tar.gz
 * reader for it. Same approach as the crypto tests' SharedData, kept separate on purpose.
 */
final class Golden {
    private Golden() {
    }

    static Path sharedDir() {
        String prop = System.getProperty("stowage.shared");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../shared");
        return p.toAbsolutePath().normalize();
    }

    static Path goldenFile(String name) {
        return sharedDir().resolve("restic-golden").resolve(name);
    }

    /** One tar entry: type flag ('0' file, '2' symlink, '5' directory), octal mode, body or link target. */
    record Entry(char type, int mode, long mtime, byte[] body, String linkTarget) {
    }

    /** Every entry of a tar.gz archive by path (without a trailing slash), in archive order. */
    static Map<String, Entry> untarGz(Path archive) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break;
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                char type = header[156] == 0 ? '0' : (char) header[156];
                byte[] body = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'L') { // GNU long name for the next entry
                    longName = new String(body, StandardCharsets.UTF_8).replaceAll("\0+$", "");
                    continue;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                if (name.endsWith("/")) {
                    name = name.substring(0, name.length() - 1);
                }
                int mode = Integer.parseInt(field(header, 100, 8).trim(), 8);
                long mtime = Long.parseLong(field(header, 136, 12).trim(), 8);
                entries.put(name, new Entry(type, mode, mtime, body, type == '2' ? field(header, 157, 100) : null));
            }
        }
        return entries;
    }

    /** Writes the directories and regular files under {@code prefix/} into {@code target}. */
    static void extract(Map<String, Entry> entries, String prefix, Path target) throws IOException {
        Files.createDirectories(target);
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!e.getKey().startsWith(prefix + "/")) {
                continue;
            }
            Path p = target.resolve(e.getKey().substring(prefix.length() + 1));
            switch (e.getValue().type()) {
                case '5' -> Files.createDirectories(p);
                case '0' -> {
                    Files.createDirectories(p.getParent());
                    Files.write(p, e.getValue().body());
                }
                default -> {
                }
            }
        }
    }

    private static String field(byte[] header, int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }
}
