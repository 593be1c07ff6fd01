package dev.stowage.engine.repository;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.stowage.engine.Id;
import dev.stowage.engine.crypto.CryptoKey;
import dev.stowage.engine.index.MasterIndex;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a warm process (a function instance serving many events) keeps between uses of the same
 * repositories, so it does not repeat expensive work. Thread-safe; share one per process.
 *
 * <ul>
 *   <li>Unlocked master keys (scrypt takes about half a second per key file tried), keyed by
 *       location, key file and a digest of the password; used only while that key file is still
 *       in the repository, so a removed password stops working.</li>
 *   <li>Loaded indexes per repository: extended with new index files only, rebuilt from scratch
 *       as soon as an index file it was built from has disappeared (prune).</li>
 *   <li>Decrypted snapshot files. They are named by the hash of their content and never change,
 *       so an entry cannot go stale; the repository's listing decides which snapshots exist.</li>
 * </ul>
 */
public final class RepositoryCache {
    private final Cache<String, CryptoKey> masterKeys;
    private final Cache<String, LoadedIndex> indexes;
    private final Cache<String, byte[]> snapshotFiles;
    private final AtomicLong indexFilesRead = new AtomicLong();

    /**
     * @param maxRepositories  repositories whose keys and indexes are kept
     * @param maxSnapshotBytes plaintext bytes of snapshot files kept, over all repositories
     */
    public RepositoryCache(int maxRepositories, long maxSnapshotBytes) {
        this.masterKeys = Caffeine.newBuilder().maximumSize(4L * maxRepositories).recordStats().build();
        this.indexes = Caffeine.newBuilder().maximumSize(maxRepositories).recordStats().build();
        this.snapshotFiles = Caffeine.newBuilder().maximumWeight(maxSnapshotBytes)
                .<String, byte[]>weigher((k, v) -> v.length + k.length()).recordStats().build();
    }

    /** A cache for a function instance: 16 repositories, 64 MiB of snapshot files. */
    public static RepositoryCache defaults() {
        return new RepositoryCache(16, 64L << 20);
    }

    /** An index as loaded from exactly these index files. */
    record LoadedIndex(Set<String> files, MasterIndex index) {
    }

    CryptoKey masterKey(String location, String keyId, String password) {
        return masterKeys.getIfPresent(keyCacheKey(location, keyId, password));
    }

    void putMasterKey(String location, String keyId, String password, CryptoKey key) {
        masterKeys.put(keyCacheKey(location, keyId, password), key);
    }

    // the password itself is not kept: a digest bound to the key file stands for it
    private static String keyCacheKey(String location, String keyId, String password) {
        byte[] material = (keyId + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return location + "\0" + keyId + "\0" + Id.hash(material).hex();
    }

    LoadedIndex index(String repositoryId) {
        return indexes.getIfPresent(repositoryId);
    }

    void putIndex(String repositoryId, LoadedIndex loaded) {
        indexes.put(repositoryId, loaded);
    }

    byte[] snapshotFile(String repositoryId, Id id) {
        return snapshotFiles.getIfPresent(repositoryId + "/" + id.hex());
    }

    void putSnapshotFile(String repositoryId, Id id, byte[] plaintext) {
        snapshotFiles.put(repositoryId + "/" + id.hex(), plaintext);
    }

    void countIndexFileRead() {
        indexFilesRead.incrementAndGet();
    }

    /** Index files decoded through this cache so far (for metrics). */
    public long indexFilesRead() {
        return indexFilesRead.get();
    }

    public CacheStats keyStats() {
        return masterKeys.stats();
    }

    public CacheStats indexStats() {
        return indexes.stats();
    }

    public CacheStats snapshotStats() {
        return snapshotFiles.stats();
    }
}
