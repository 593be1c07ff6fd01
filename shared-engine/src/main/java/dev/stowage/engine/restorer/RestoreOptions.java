package dev.stowage.engine.restorer;

import dev.stowage.engine.filter.PathFilter;

/**
 * Settings of one restore.
 *
 * @param filter          include/exclude patterns on snapshot paths
 * @param restoreOwners   set uid/gid (needs root; restic does it whenever it can)
 * @param workers         packs read and written at the same time
 * @param directIoMinSize files at least this large are written with direct I/O, past the page
 *                        cache, where the file system allows it; {@link Long#MAX_VALUE} for never
 */
public record RestoreOptions(PathFilter filter, boolean restoreOwners, int workers, long directIoMinSize) {
    /** Files of at least 8 MiB (about eight blobs) are written with direct I/O by default. */
    public static final long DEFAULT_DIRECT_IO_MIN_SIZE = 8L << 20;

    public RestoreOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker is needed");
        }
        if (directIoMinSize < 0) {
            throw new IllegalArgumentException("directIoMinSize must not be negative");
        }
    }

    public static RestoreOptions defaults() {
        return new RestoreOptions(PathFilter.ALL, new com.sun.security.auth.module.UnixSystem().getUid() == 0, 3,
                DEFAULT_DIRECT_IO_MIN_SIZE);
    }

    public RestoreOptions withFilter(PathFilter f) {
        return new RestoreOptions(f, restoreOwners, workers, directIoMinSize);
    }

    public RestoreOptions withDirectIoMinSize(long minSize) {
        return new RestoreOptions(filter, restoreOwners, workers, minSize);
    }
}
