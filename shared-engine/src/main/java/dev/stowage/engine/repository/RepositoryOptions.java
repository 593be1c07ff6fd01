package dev.stowage.engine.repository;

/**
 * How a repository is written.
 *
 * @param compression   data blob compression (v2 only)
 * @param packSize      target pack size in bytes (restic: 4 to 128 MiB, default 16 MiB)
 * @param uploadThreads concurrent pack uploads
 */
public record RepositoryOptions(Compression compression, int packSize, int uploadThreads) {
    public static final int MIN_PACK_SIZE = 4 << 20;
    public static final int MAX_PACK_SIZE = 128 << 20;

    public RepositoryOptions {
        if (packSize < MIN_PACK_SIZE || packSize > MAX_PACK_SIZE) {
            throw new IllegalArgumentException("pack size must be between 4 and 128 MiB");
        }
        if (uploadThreads < 1) {
            throw new IllegalArgumentException("at least one upload thread is needed");
        }
    }

    public static RepositoryOptions defaults() {
        return new RepositoryOptions(Compression.AUTO, 16 << 20, 2);
    }

    public RepositoryOptions withCompression(Compression c) {
        return new RepositoryOptions(c, packSize, uploadThreads);
    }

    public RepositoryOptions withUploadThreads(int threads) {
        return new RepositoryOptions(compression, packSize, threads);
    }
}
