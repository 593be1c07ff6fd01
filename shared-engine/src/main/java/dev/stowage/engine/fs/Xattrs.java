package dev.stowage.engine.fs;

import dev.stowage.engine.data.ExtendedAttribute;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * Extended attributes in the {@code user.} namespace, the one the JDK exposes (other namespaces
 * need privileges or native calls and are not backed up). Symbolic links carry none on Linux.
 */
public final class Xattrs {
    private static final String PREFIX = "user.";

    private Xattrs() {
    }

    /**
     * The attributes of a regular file or directory in the file system's order (restic keeps that
     * order too, so both tools produce the same tree); empty where unsupported.
     */
    public static List<ExtendedAttribute> read(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return List.of();
        }
        List<String> names;
        try {
            names = new ArrayList<>(view.list());
        } catch (FileSystemException e) {
            return List.of();
        }
        if (names.isEmpty()) {
            return List.of();
        }
        List<ExtendedAttribute> out = new ArrayList<>(names.size());
        for (String n : names) {
            ByteBuffer buf = ByteBuffer.allocate(view.size(n));
            view.read(n, buf);
            out.add(new ExtendedAttribute(PREFIX + n, buf.array()));
        }
        return out;
    }

    /** Sets the {@code user.} attributes; others are skipped. */
    public static void write(Path file, List<ExtendedAttribute> attrs) throws IOException {
        if (attrs.isEmpty()) {
            return;
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        for (ExtendedAttribute a : attrs) {
            if (a.name().startsWith(PREFIX) && view != null) {
                view.write(a.name().substring(PREFIX.length()), ByteBuffer.wrap(a.value()));
            }
        }
    }
}
