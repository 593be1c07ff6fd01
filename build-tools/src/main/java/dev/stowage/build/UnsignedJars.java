package dev.stowage.functions.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Removes the signature of a signed jar on a function's class path (BouncyCastle's
 * {@code bcprov}), for the image layout of {@code functions/build-image-layer.sh}.
 *
 * <p>The JDK's AOT cache (and CDS) leaves out every class of a signed jar, so those classes are
 * parsed and verified at each start; and the first class loaded from the jar makes the JVM parse
 * its whole manifest (bcprov's lists a digest for each of its 7,000 entries: 1 MB) and check the
 * signature, and digest every entry it reads. Stowage uses BouncyCastle's lightweight API
 * directly, not as a JCA provider, so nothing needs the signature. The rewritten jar has the same
 * entries, in the same order, except the signature files ({@code META-INF/*.SF}, {@code .RSA},
 * {@code .DSA}, {@code .EC}, {@code SIG-*}), and a manifest that keeps only the main section.
 */
final class UnsignedJars {
    private UnsignedJars() {
    }

    /** Whether {@code name} is a signature file of a jar (JAR File Specification, "Signed JAR File"). */
    static boolean isSignatureFile(String name) {
        if (!name.startsWith("META-INF/") || name.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        String file = name.substring("META-INF/".length()).toUpperCase(Locale.ROOT);
        return file.endsWith(".SF") || file.endsWith(".RSA") || file.endsWith(".DSA") || file.endsWith(".EC")
                || file.startsWith("SIG-");
    }

    /** Whether the jar has a signature file. */
    static boolean isSigned(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                if (isSignatureFile(entries.nextElement().getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Rewrites {@code jar} without its signature, in place (through a temporary file next to it);
     * returns false, leaving it untouched, when it is not signed.
     */
    static boolean unsign(Path jar) throws IOException {
        if (!isSigned(jar)) {
            return false;
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".unsigned");
        try (ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (isSignatureFile(name)) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    if (name.equals(JarFile.MANIFEST_NAME)) {
                        mainSection(data, out);
                    } else {
                        data.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** Writes the main section of the manifest read from {@code in} (without the per-entry digests). */
    private static void mainSection(InputStream in, OutputStream out) throws IOException {
        Manifest signed = new Manifest(in);
        Manifest main = new Manifest();
        main.getMainAttributes().putAll(signed.getMainAttributes());
        main.write(out);
    }
}
