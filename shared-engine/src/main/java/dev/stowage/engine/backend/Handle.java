package dev.stowage.engine.backend;

import java.io.EOFException;

/** Names one file of a repository: its type and, except for the config, its 64-hex name. */
public record Handle(FileType type, String name) {
    public static final Handle CONFIG = new Handle(FileType.CONFIG, "");

    /** The path relative to the repository root in restic's default layout. */
    public String path() {
        return switch (type) {
            case CONFIG -> "config";
            case PACK -> "data/" + name.substring(0, 2) + "/" + name;
            default -> type.directory() + "/" + name;
        };
    }

    /** The error for a read of {@code length} bytes at {@code offset} past the end of this file of {@code size} bytes. */
    public EOFException shortRead(long offset, int length, long size) {
        return new EOFException(path() + " is shorter than expected: wanted " + length
                + " bytes at offset " + offset + ", file has " + size);
    }

    @Override
    public String toString() {
        return path();
    }
}
