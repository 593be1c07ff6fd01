package dev.stowage.engine.repository;

import dev.stowage.engine.StowageException;
import java.util.Locale;

/** restic's {@code --compression} modes for data blobs (metadata is always compressed in v2). */
public enum Compression {
    OFF(0),
    /** zstd level 3, the level klauspost's SpeedDefault that restic uses approximates. */
    AUTO(3),
    MAX(19);

    private final int zstdLevel;

    Compression(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    public int zstdLevel() {
        return zstdLevel;
    }

    public static Compression parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StowageException("invalid compression mode \"" + s + "\": use auto, off or max");
        }
    }
}
