package dev.stowage.engine.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreationMaskTest {
    @TempDir
    Path dir;

    @Test
    void keepsExactlyThePermissionsAFileIsCreatedWith() throws Exception {
        CreationMask mask = CreationMask.probe(dir);
        assertEquals(List.of(), list(dir), "the probe file is gone");
        int kept = 0;
        for (int p = 0; p <= 0777; p++) {
            Path f = Files.createFile(dir.resolve("f" + Integer.toOctalString(p)), CreationMask.attribute(p));
            int got = (Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            assertEquals(got == p, mask.keeps(p), "permissions " + Integer.toOctalString(p) + " created as "
                    + Integer.toOctalString(got));
            kept += mask.keeps(p) ? 1 : 0;
        }
        assertTrue(kept > 1, "under any usual umask some modes survive creation whole");
    }

    @Test
    void attributeHoldsTheNineBits() {
        for (int p = 0; p <= 0777; p++) {
            StringBuilder rwx = new StringBuilder();
            for (int bit = 0400, i = 0; bit > 0; bit >>= 1, i++) {
                rwx.append((p & bit) == 0 ? '-' : "rwx".charAt(i % 3));
            }
            assertEquals(PosixFilePermissions.fromString(rwx.toString()), CreationMask.attribute(p).value(), rwx.toString());
        }
    }

    @Test
    void keepsNoSpecialBitsAndNothingWhereItCannotProbe() {
        CreationMask here = CreationMask.probe(dir);
        assertFalse(here.keeps(04755), "setuid is set by chmod");
        assertFalse(here.keeps(01777), "sticky is set by chmod");
        CreationMask nowhere = CreationMask.probe(dir.resolve("missing"));
        assertFalse(nowhere.keeps(0600));
        assertFalse(nowhere.keeps(0200));
    }

    private static List<Path> list(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.toList();
        }
    }
}
