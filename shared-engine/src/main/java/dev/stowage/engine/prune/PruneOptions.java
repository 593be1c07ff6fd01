package dev.stowage.engine.prune;

/**
 * restic 0.14's prune flags.
 *
 * @param maxUnused           unused data to tolerate ({@code --max-unused}, default 5%)
 * @param maxRepackBytes      most pack bytes to repack ({@code --max-repack-size}); {@link Long#MAX_VALUE} = no limit
 * @param repackCacheableOnly only repack tree packs ({@code --repack-cacheable-only})
 * @param repackSmall         repack fully used packs below 80% of the target pack size ({@code --repack-small})
 * @param repackUncompressed  repack every pack with uncompressed blobs (v2, {@code --repack-uncompressed})
 * @param dryRun              plan and report only; change nothing
 */
public record PruneOptions(MaxUnused maxUnused, long maxRepackBytes, boolean repackCacheableOnly,
                           boolean repackSmall, boolean repackUncompressed, boolean dryRun) {
    public PruneOptions {
        if (maxUnused == null) {
            maxUnused = MaxUnused.DEFAULT;
        }
        if (maxRepackBytes < 0) {
            throw new IllegalArgumentException("maxRepackBytes < 0");
        }
    }

    public static PruneOptions defaults() {
        return new PruneOptions(MaxUnused.DEFAULT, Long.MAX_VALUE, false, false, false, false);
    }

    public PruneOptions withMaxUnused(MaxUnused m) {
        return new PruneOptions(m, maxRepackBytes, repackCacheableOnly, repackSmall, repackUncompressed, dryRun);
    }

    public PruneOptions withDryRun(boolean d) {
        return new PruneOptions(maxUnused, maxRepackBytes, repackCacheableOnly, repackSmall, repackUncompressed, d);
    }
}
