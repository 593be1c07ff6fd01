package dev.stowage.engine.fs;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names as raw bytes. The JDK decodes names with the platform's {@code sun.jnu.encoding},
 * which loses bytes that are not valid in it; a path's {@code file:} URI keeps them
 * percent-encoded, so names are round-tripped through the URI where decoding is lossy.
 */
public final class Names {
    private static final Charset JNU = jnuCharset();

    private Names() {
    }

    private static Charset jnuCharset() {
        String name = System.getProperty("sun.jnu.encoding", "UTF-8");
        return Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.UTF_8;
    }

    /** The raw bytes of the last component of {@code path}. */
    public static byte[] bytes(Path path) {
        String s = path.getFileName().toString();
        byte[] b = s.getBytes(JNU);
        if (s.indexOf('\uFFFD') < 0 && s.indexOf('?') < 0) {
            return b;
        }
        String raw = path.toAbsolutePath().toUri().getRawPath();
        if (raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        return percentDecode(raw.substring(raw.lastIndexOf('/') + 1));
    }

    /** The raw bytes of a symbolic link's target. */
    public static byte[] linkTarget(Path link) throws java.io.IOException {
        Path target = java.nio.file.Files.readSymbolicLink(link);
        String s = target.toString();
        if (s.indexOf('\uFFFD') < 0 && s.indexOf('?') < 0) {
            return s.getBytes(JNU);
        }
        String raw = target.toAbsolutePath().toUri().getRawPath();
        if (!target.isAbsolute()) {
            String cwd = Path.of("").toAbsolutePath().toUri().getRawPath();
            raw = raw.substring(cwd.length());
        }
        if (raw.endsWith("/") && !s.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        return percentDecode(raw);
    }

    /** A path made of raw bytes (for a symbolic link's target). */
    public static Path fromBytes(byte[] path) {
        String s = new String(path, JNU);
        if (Arrays.equals(s.getBytes(JNU), path)) {
            return Path.of(s);
        }
        // the JDK builds raw-byte paths only from absolute file: URIs; relativize keeps the bytes
        StringBuilder uri = new StringBuilder("file://");
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                uri.append('/').append(percentEncode(Arrays.copyOfRange(path, start, i)));
                start = i + 1;
            }
        }
        Path abs = Path.of(URI.create(uri.toString().replace("file:////", "file:///")));
        return path.length > 0 && path[0] == '/' ? abs : Path.of("/").relativize(abs);
    }

    /** {@code dir} joined with a name given as raw bytes. */
    public static Path resolve(Path dir, byte[] name) {
        String s = new String(name, JNU);
        if (Arrays.equals(s.getBytes(JNU), name)) {
            return dir.resolve(s);
        }
        String base = dir.toAbsolutePath().toUri().getRawPath();
        if (!base.endsWith("/")) {
            base += "/";
        }
        return Path.of(URI.create("file://" + base + percentEncode(name)));
    }

    private static String percentEncode(byte[] name) {
        StringBuilder sb = new StringBuilder(name.length * 3);
        for (byte b : name) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return sb.toString();
    }

    private static byte[] percentDecode(String s) {
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out[n++] = (byte) Integer.parseInt(s.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                for (byte e : enc) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, out.length * 2 + 4);
                    }
                    out[n++] = e;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }
}
