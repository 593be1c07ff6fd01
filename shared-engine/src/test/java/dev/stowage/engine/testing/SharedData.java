package dev.stowage.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Access to the shared golden data ({@code ../shared} beside the project, found through the
 * {@code stowage.shared} system property that surefire sets), and a minimal tar.gz reader for it.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path dir() {
        String prop = System.getProperty("stowage.shared");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../shared");
        return p.toAbsolutePath().normalize();
    }

    /** Regular files of a tar.gz archive by path (ustar names, no links). */
    public static Map<String, byte[]> untarGz(Path archive) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            byte[] header = new byte[512];
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
                byte type = header[156];
                byte[] body = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == '0' || type == 0) {
                    files.put(name, body);
                }
            }
        }
        return files;
    }

    /**
     * Writes the regular files of a tar.gz archive whose path starts with {@code prefix} below
     * {@code target}, without the prefix (e.g. a repository directory out of an archive of several).
     *
     * @return how many files were written
     */
    public static int extract(Path archive, String prefix, Path target) throws IOException {
        int n = 0;
        for (Map.Entry<String, byte[]> e : untarGz(archive).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            Path file = target.resolve(e.getKey().substring(prefix.length()));
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
            n++;
        }
        return n;
    }

    private static String field(byte[] header, int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.US_ASCII);
    }
}
