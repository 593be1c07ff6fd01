package dev.stowage.engine.restorer;

import dev.stowage.engine.filter.PathFilter;

/**
 * Settings of one restore.
 *
 * @param filter         include/exclude patterns on snapshot paths
 * @param restoreOwners  set uid/gid (needs root; restic does it whenever it can)
 * @param workers        packs read and written at the same time
 */
public record RestoreOptions(PathFilter filter, boolean restoreOwners, int workers) {
    public RestoreOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker is needed");
        }
    }

    public static RestoreOptions defaults() {
        return new RestoreOptions(PathFilter.ALL, new com.sun.security.auth.module.UnixSystem().getUid() == 0, 3);
    }

    public RestoreOptions withFilter(PathFilter f) {
        return new RestoreOptions(f, restoreOwners, workers);
    }
}
