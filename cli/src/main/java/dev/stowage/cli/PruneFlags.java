package dev.stowage.cli;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.prune.MaxUnused;
import dev.stowage.engine.prune.PruneOptions;
import dev.stowage.engine.prune.Sizes;
import picocli.CommandLine.Option;

/** restic 0.14's prune flags, shared by {@code prune} and {@code forget --prune}. */
final class PruneFlags {
    @Option(names = "--max-unused", paramLabel = "limit", defaultValue = "5%",
            description = "tolerate given limit of unused data (absolute value in bytes with suffixes k/K, m/M, g/G, t/T,"
                    + " a value in % or the word 'unlimited') (default \"5%\")")
    String maxUnused;

    @Option(names = "--max-repack-size", paramLabel = "size",
            description = "maximum size to repack (allowed suffixes: k/K, m/M, g/G, t/T)")
    String maxRepackSize;

    @Option(names = "--repack-cacheable-only", description = "only repack packs which are cacheable")
    boolean repackCacheableOnly;

    @Option(names = "--repack-small", description = "repack pack files below 80% of target pack size")
    boolean repackSmall;

    @Option(names = "--repack-uncompressed", description = "repack all uncompressed data")
    boolean repackUncompressed;

    /** Parses the flags; fails before the repository is touched. */
    PruneOptions options(boolean dryRun, int repositoryVersion) {
        if (repackUncompressed && repositoryVersion < 2) {
            throw new StowageException("compression requires at least repository format version 2");
        }
        return new PruneOptions(MaxUnused.parse(maxUnused),
                maxRepackSize == null ? Long.MAX_VALUE : Sizes.parse(maxRepackSize),
                repackCacheableOnly, repackSmall, repackUncompressed, dryRun);
    }

    /** Validates the flags without a repository (before any lock is taken). */
    void validate() {
        MaxUnused.parse(maxUnused);
        if (maxRepackSize != null) {
            Sizes.parse(maxRepackSize);
        }
    }
}
