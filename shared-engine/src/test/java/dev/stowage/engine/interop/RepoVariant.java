package dev.stowage.engine.interop;

import dev.stowage.engine.repository.Compression;

/** The repository formats both tools must agree on: version 2 with each compression mode, and version 1. */
enum RepoVariant {
    V2_COMPRESSION_OFF(2, Compression.OFF),
    V2_COMPRESSION_AUTO(2, Compression.AUTO),
    V2_COMPRESSION_MAX(2, Compression.MAX),
    V1(1, Compression.OFF);

    final int version;
    final Compression compression;

    RepoVariant(int version, Compression compression) {
        this.version = version;
        this.compression = compression;
    }

    /** restic's {@code --compression} value (ignored by restic for version 1). */
    String resticCompression() {
        return compression.name().toLowerCase(java.util.Locale.ROOT);
    }
}
