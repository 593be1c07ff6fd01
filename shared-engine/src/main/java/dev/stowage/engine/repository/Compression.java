package dev.stowage.engine.repository;

import dev.stowage.engine.StowageException;
import java.util.Locale;

/** restic's {@code --compression} modes for data blobs (metadata is always compressed in v2). */
public enum Compression {
    OFF(0),
    /**
     * zstd level 1. restic's klauspost SpeedDefault is closer to level 3, but on the benchmark
     * data level 1 costs a quarter less CPU for a repository 1 % larger, which is about as large
     * as restic's (bench/README.md).
     */
    AUTO(1),
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
