package dev.stowage.engine.interop;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.archiver.BackupResult;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.lock.LockHandle;
import dev.stowage.engine.lock.Locker;
import dev.stowage.engine.repository.Compression;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import dev.stowage.engine.restorer.Dumper;
import dev.stowage.engine.restorer.RestoreOptions;
import dev.stowage.engine.restorer.RestoreProgress;
import dev.stowage.engine.restorer.RestoreResult;
import dev.stowage.engine.restorer.Restorer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine used the way the CLI uses it: every operation takes a shared lock (so restic sees
 * and honours it) and reloads the index first, since restic may have written to the repository
 * in between.
 */
final class StowageRepo implements AutoCloseable {
    static final String PASSWORD = "interop-pw";
    static final String HOST = "stowage-interop";
    /** Cheap key derivation for repositories created here; restic accepts any valid scrypt parameters. */
    static final ScryptParams FAST_SCRYPT = new ScryptParams(1024, 8, 1);

    private final Repository repo;
    private final Identity identity = Identity.current();

    private StowageRepo(Repository repo) {
        this.repo = repo;
    }

    static StowageRepo init(Path dir, int version, Compression compression) throws IOException {
        return new StowageRepo(Repository.init(new LocalBackend(dir), PASSWORD, version, FAST_SCRYPT,
                Identity.current(), RepositoryOptions.defaults().withCompression(compression)));
    }

    static StowageRepo open(Path dir, String password) throws IOException {
        return open(dir, password, Compression.AUTO);
    }

    static StowageRepo open(Path dir, String password, Compression compression) throws IOException {
        return new StowageRepo(Repository.open(new LocalBackend(dir), password,
                RepositoryOptions.defaults().withCompression(compression)));
    }

    /** Wraps a repository opened elsewhere (e.g. on another backend); closing closes it. */
    static StowageRepo of(Repository repo) {
        return new StowageRepo(repo);
    }

    Repository repository() {
        return repo;
    }

    static BackupOptions options(String... tags) {
        return BackupOptions.defaults(HOST).withTags(List.of(tags));
    }

    BackupResult backup(BackupOptions options, Path... targets) throws IOException {
        BackupResult r = locked(() -> new Archiver(repo, options, new BackupProgress(false), identity).backup(List.of(targets)));
        assertEquals(List.of(), r.warnings(), "backup warnings");
        return r;
    }

    BackupResult backupStream(BackupOptions options, InputStream in, String filename) throws IOException {
        return locked(() -> new Archiver(repo, options, new BackupProgress(false), identity).backupStream(in, filename));
    }

    RestoreResult restore(Snapshot snapshot, Path target) throws IOException {
        return locked(() -> new Restorer(repo, RestoreOptions.defaults(), new RestoreProgress()).restore(snapshot, target));
    }

    byte[] dump(Snapshot snapshot, String path) throws IOException {
        return locked(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Dumper(repo).dump(snapshot, path, out);
            return out.toByteArray();
        });
    }

    List<Snapshot> snapshots() throws IOException {
        return Snapshots.loadAll(repo);
    }

    Snapshot snapshot(Id id) throws IOException {
        return Snapshots.find(repo, id.hex(), dev.stowage.engine.data.SnapshotFilter.ALL);
    }

    /** IDs of the data blobs the index files list now. */
    Set<Id> dataBlobIds() throws IOException {
        repo.loadIndex();
        return repo.index().blobs(BlobType.DATA).stream().map(b -> b.blob().id()).collect(Collectors.toSet());
    }

    List<BlobLocation> blobs(BlobType type) throws IOException {
        repo.loadIndex();
        return List.copyOf(repo.index().blobs(type));
    }

    /** Runs {@code op} under a shared lock with a freshly loaded index, as the CLI does. */
    private <T> T locked(Operation<T> op) throws IOException {
        LockHandle lock = new Locker(repo, identity).lock(false);
        try {
            repo.loadIndex();
            return op.run();
        } finally {
            lock.close();
        }
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws IOException;
    }

    @Override
    public void close() throws IOException {
        repo.close();
    }
}
