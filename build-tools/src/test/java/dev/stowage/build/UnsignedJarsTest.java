package dev.stowage.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnsignedJarsTest {
    @TempDir
    Path dir;

    /** BouncyCastle's provider jar as Maven resolved it: signed. */
    private static Path bcprov() throws Exception {
        return Path.of(org.bouncycastle.crypto.Mac.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void removesTheSignatureAndKeepsEveryOtherEntry() throws Exception {
        Path signed = bcprov();
        Path jar = Files.copy(signed, dir.resolve("bcprov.jar"));
        assertTrue(UnsignedJars.isSigned(jar));

        assertTrue(UnsignedJars.unsign(jar));

        assertFalse(UnsignedJars.isSigned(jar));
        try (ZipFile before = new ZipFile(signed.toFile()); ZipFile after = new ZipFile(jar.toFile())) {
            List<String> kept = new ArrayList<>();
            for (ZipEntry e : Collections.list(before.entries())) {
                if (!UnsignedJars.isSignatureFile(e.getName())) {
                    kept.add(e.getName());
                }
            }
            List<String> names = Collections.list(after.entries()).stream().map(ZipEntry::getName).toList();
            assertEquals(kept, names);
            for (String name : kept) {
                if (name.equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                try (InputStream a = before.getInputStream(before.getEntry(name));
                     InputStream b = after.getInputStream(after.getEntry(name))) {
                    assertArrayEquals(a.readAllBytes(), b.readAllBytes(), name);
                }
            }
        }
        try (JarFile before = new JarFile(signed.toFile()); JarFile after = new JarFile(jar.toFile(), true)) {
            assertEquals(before.getManifest().getMainAttributes(), after.getManifest().getMainAttributes());
            assertTrue(after.getManifest().getEntries().isEmpty(), "per-entry sections are gone");
            JarEntry poly = after.getJarEntry("org/bouncycastle/crypto/macs/Poly1305.class");
            try (InputStream in = after.getInputStream(poly)) {
                in.readAllBytes();
            }
            assertNull(poly.getCodeSigners());
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class<?> poly = loader.loadClass("org.bouncycastle.crypto.macs.Poly1305");
            assertNull(poly.getProtectionDomain().getCodeSource().getCodeSigners());
        }
    }

    @Test
    void leavesAnUnsignedJarAlone() throws Exception {
        Path jar = Files.copy(bcprov(), dir.resolve("bcprov.jar"));
        UnsignedJars.unsign(jar);
        byte[] unsigned = Files.readAllBytes(jar);

        assertFalse(UnsignedJars.unsign(jar));

        assertArrayEquals(unsigned, Files.readAllBytes(jar));
    }

    @Test
    void signatureFilesAreTheOnesDirectlyInMetaInf() {
        for (String name : List.of("META-INF/BC1024KE.SF", "META-INF/BC1024KE.DSA", "META-INF/X.RSA", "META-INF/x.ec",
                "META-INF/SIG-FOO")) {
            assertTrue(UnsignedJars.isSignatureFile(name), name);
        }
        for (String name : List.of("META-INF/MANIFEST.MF", "META-INF/versions/9/X.SF", "org/X.SF",
                "META-INF/services/java.security.Provider", "META-INF/LICENSE.md")) {
            assertFalse(UnsignedJars.isSignatureFile(name), name);
        }
    }
}
