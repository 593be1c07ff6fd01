package dev.stowage.engine.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The permission bits that survive when a file is created in a directory: those the process's
 * umask lets through, or the directory's default ACL where it has one. The JDK reads neither, so
 * they are found by creating a file there.
 */
public final class CreationMask {
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    /** rwx for owner, group and others, in the order of {@link PosixFilePermission}'s constants. */
    private static final PosixFilePermission[] BITS = PosixFilePermission.values();

    private final int kept;

    private CreationMask(int kept) {
        this.kept = kept;
    }

    /**
     * Creates and removes a file in {@code dir} to see which bits it keeps; if that fails, a mask
     * that keeps none, so that every mode is set after creation.
     */
    public static CreationMask probe(Path dir) {
        Path probe = dir.resolve(".stowage-mode-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try {
                Files.newByteChannel(probe, CREATE_NEW, attribute(0777)).close();
                return new CreationMask((Integer) Files.getAttribute(probe, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new CreationMask(0);
        }
    }

    /** Whether a file created with {@code permissions} (the nine rwx bits) gets exactly those. */
    public boolean keeps(int permissions) {
        return (permissions & ~0777) == 0 && (permissions & ~kept) == 0;
    }

    /** {@code permissions} (the nine rwx bits) as an attribute to create a file with. */
    public static FileAttribute<Set<PosixFilePermission>> attribute(int permissions) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((permissions & (0400 >> i)) != 0) {
                set.add(BITS[i]);
            }
        }
        return PosixFilePermissions.asFileAttribute(set);
    }
}
