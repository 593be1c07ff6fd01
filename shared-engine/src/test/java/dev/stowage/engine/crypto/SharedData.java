package dev.stowage.engine.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Access to the shared golden data (../shared), and a minimal tar.gz reader for it. */
final class SharedData {
    private SharedData() {
    }

    static Path dir() {
        String prop = System.getProperty("stowage.shared");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../shared");
        return p.toAbsolutePath().normalize();
    }

    /** Regular files of a tar.gz archive by path (ustar names, no links). */
    static Map<String, byte[]> untarGz(Path archive) throws IOException {
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

    private static String field(byte[] header, int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.US_ASCII);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
