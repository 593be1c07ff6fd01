package dev.stowage.engine.prune;

/**
 * What prune found and did (or, in a dry run, would do). Sizes are bytes the blobs occupy in packs.
 *
 * @param usedBlobs           blobs reachable from a snapshot (one copy each)
 * @param duplicateBlobs      further copies of used blobs
 * @param unusedBlobs         blobs no snapshot references
 * @param repackBlobs         blobs in packs to repack (all of them)
 * @param repackRemovedBlobs  blobs of packs to repack that are dropped (unused or duplicate)
 * @param deleteBlobs         blobs in packs deleted as a whole
 * @param unreferencedPacks   files in {@code data/} no index lists (deleted)
 * @param totallyUsedPacks    packs whose blobs are all used
 * @param partlyUsedPacks     packs with used and unused blobs
 * @param unusedPacks         packs without used blobs
 * @param keepPacks           packs that stay as they are
 * @param repackPacks         packs rewritten into new packs
 * @param deletePacks         packs deleted (unused; repacked packs are deleted too)
 * @param newPacks            packs written by repacking
 * @param indexFilesRemoved   old index files replaced by the new set
 * @param indexFilesWritten   index files written for the remaining packs
 * @param tempFiles           leftover temporary files old enough to remove (removed unless a dry run)
 * @param tempBytes           their size
 */
public record PruneStats(long usedBlobs, long usedBytes, long duplicateBlobs, long duplicateBytes,
                         long unusedBlobs, long unusedBytes,
                         long repackBlobs, long repackBytes, long repackRemovedBlobs, long repackRemovedBytes,
                         long deleteBlobs, long deleteBytes,
                         long unreferencedPacks, long unreferencedBytes,
                         long totallyUsedPacks, long partlyUsedPacks, long unusedPacks,
                         long keepPacks, long repackPacks, long deletePacks,
                         long newPacks, long indexFilesRemoved, long indexFilesWritten,
                         long tempFiles, long tempBytes) {
    public long totalBlobs() {
        return usedBlobs + duplicateBlobs + unusedBlobs;
    }

    public long totalBytes() {
        return usedBytes + duplicateBytes + unusedBytes;
    }

    public long pruneBlobs() {
        return repackRemovedBlobs + deleteBlobs;
    }

    public long pruneBytes() {
        return repackRemovedBytes + deleteBytes;
    }

    public long remainingBlobs() {
        return totalBlobs() - pruneBlobs();
    }

    public long remainingBytes() {
        return totalBytes() - pruneBytes();
    }

    /** Unused (and duplicate) bytes left after prune. */
    public long unusedBytesAfter() {
        return unusedBytes + duplicateBytes - pruneBytes();
    }
}
