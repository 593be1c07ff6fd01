package dev.stowage.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;

/**
 * Removes the signature of signed jars (BouncyCastle's {@code bcprov}) on the class path of the
 * {@code stowage} CLI ({@code cli/target/lib}, at package time) and of a function image
 * ({@code functions/build-image-layer.sh}).
 *
 * <p>The first class loaded from a signed jar makes the JVM parse its whole manifest (bcprov's
 * lists a digest for each of its 7,000 entries: 1 MB) and check the signature, and every entry it
 * reads from the jar is digested: about 0.15 s of CPU per start. The JDK's AOT cache (and CDS)
 * also leaves out every class of a signed jar. Stowage uses BouncyCastle's lightweight API
 * directly, not as a JCA provider, so nothing needs the signature. The rewritten jar has the same
 * entries, in the same order, except the signature files ({@code META-INF/*.SF}, {@code .RSA},
 * {@code .DSA}, {@code .EC}, {@code SIG-*}), and a manifest that keeps only the main section.
 *
 * <p>Usage: {@code java -cp build-tools.jar dev.stowage.build.UnsignedJars JAR_OR_DIRECTORY...}
 * rewrites each signed jar given, or found directly in a directory given, in place, and prints
 * the jars it changed.
 */
public final class UnsignedJars {
    private UnsignedJars() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: UnsignedJars JAR_OR_DIRECTORY...");
            System.exit(2);
        }
        for (String arg : args) {
            Path path = Path.of(arg);
            List<Path> jars = new ArrayList<>();
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
                }
            } else {
                jars.add(path);
            }
            for (Path jar : jars) {
                if (unsign(jar)) {
                    System.out.println("unsigned " + jar);
                }
            }
        }
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
