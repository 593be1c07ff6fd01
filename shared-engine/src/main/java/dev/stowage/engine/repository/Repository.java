package dev.stowage.engine.repository;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.BufferPool;
import dev.stowage.engine.Futures;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.NotFoundException;
import dev.stowage.engine.chunker.ChunkerTables;
import dev.stowage.engine.crypto.CiphertextVerificationException;
import dev.stowage.engine.crypto.CryptoKey;
import dev.stowage.engine.crypto.KeyFile;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.crypto.WrongPasswordException;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.index.IndexFile;
import dev.stowage.engine.index.MasterIndex;
import dev.stowage.engine.index.PackEntry;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An open repository: its master key, config and index, with typed access to unpacked files and
 * blobs. Blob writes go through a {@link BlobSaver}. Thread-safe.
 */
public final class Repository implements AutoCloseable {
    /** restic 0.14 tries at most this many key files. */
    public static final int MAX_KEYS = 20;

    private final Backend backend;
    private final List<AccessGuard> guards = new CopyOnWriteArrayList<>();
    private final CryptoKey key;
    private final String keyId;
    private final Config config;
    private final RepositoryOptions options;
    private final ChunkerTables chunkerTables;
    private final RepositoryCache cache;
    // replaced by loadIndex when a cached index is taken over
    private volatile MasterIndex index = new MasterIndex();
    private final Zstd zstd = new Zstd();

    private Repository(Backend backend, CryptoKey key, String keyId, Config config, RepositoryOptions options,
                       RepositoryCache cache) {
        this.backend = new GuardedBackend(backend, guards);
        this.cache = cache;
        this.key = key;
        this.keyId = keyId;
        this.config = config;
        this.options = options;
        this.chunkerTables = ChunkerTables.of(config.chunkerPolynomial());
    }

    /**
     * Creates a new repository: layout, one key file for {@code password}, and the config.
     *
     * @param version 2 (compressed, restic ≥ 0.14) or 1
     */
    public static Repository init(Backend backend, String password, int version, ScryptParams scrypt,
                                  Identity who, RepositoryOptions options) throws IOException {
        if (backend.exists(Handle.CONFIG)) {
            throw new StowageException("a repository already exists at " + backend.location());
        }
        SecureRandom random = new SecureRandom();
        CryptoKey master = CryptoKey.random();
        Config config = Config.create(version, random);
        backend.create();
        KeyFile keyFile = KeyFile.create(master, password, scrypt, who.username(), who.hostname(), who.now());
        byte[] keyJson = keyFile.toJson();
        String keyId = Id.hash(keyJson).hex();
        backend.save(new Handle(FileType.KEY, keyId), keyJson);
        backend.save(Handle.CONFIG, master.seal(config.toJson()));
        return new Repository(backend, master, keyId, config, options, null);
    }

    /** Opens an existing repository with a password, trying up to {@value #MAX_KEYS} key files. */
    public static Repository open(Backend backend, String password, RepositoryOptions options) throws IOException {
        return open(backend, password, options, null);
    }

    /**
     * Opens an existing repository, reusing what {@code cache} (may be null) already holds: the
     * unlocked master key for this password, the loaded index, decrypted snapshot files.
     */
    public static Repository open(Backend backend, String password, RepositoryOptions options, RepositoryCache cache)
            throws IOException {
        if (!backend.exists(Handle.CONFIG)) {
            throw new NoRepositoryException(backend.location());
        }
        List<String> keys = backend.list(FileType.KEY);
        CryptoKey master = null;
        String keyId = null;
        if (cache != null) {
            // only key files still in the repository count: a removed password stops working
            for (String name : keys.subList(0, Math.min(MAX_KEYS, keys.size()))) {
                master = cache.masterKey(backend.location(), name, password);
                if (master != null) {
                    keyId = name;
                    break;
                }
            }
        }
        int tried = 0;
        for (String name : master != null ? List.<String>of() : keys) {
            if (tried++ == MAX_KEYS) {
                break;
            }
            KeyFile kf = KeyFile.parse(backend.load(new Handle(FileType.KEY, name)));
            try {
                master = kf.unlock(password);
                keyId = name;
                if (cache != null) {
                    cache.putMasterKey(backend.location(), name, password, master);
                }
                break;
            } catch (WrongPasswordException e) {
                // try the next key file
            }
        }
        if (master == null) {
            throw new WrongPasswordException();
        }
        byte[] configBytes;
        try {
            configBytes = master.open(backend.load(Handle.CONFIG));
        } catch (CiphertextVerificationException e) {
            throw new StowageException("the repository config at " + backend.location()
                    + " fails authentication: it is damaged or belongs to another repository", e);
        }
        return new Repository(backend, master, keyId, Config.parse(configBytes), options, cache);
    }

    /** The backend, as seen through the guards: every call but those on lock files asks them first. */
    public Backend backend() {
        return backend;
    }

    /**
     * Makes every later access to the repository's files, except lock files, first call
     * {@code guard}, so that work stops everywhere at once when it throws (a lost lock).
     */
    public void addGuard(AccessGuard guard) {
        guards.add(guard);
    }

    public void removeGuard(AccessGuard guard) {
        guards.remove(guard);
    }

    public Config config() {
        return config;
    }

    public CryptoKey key() {
        return key;
    }

    /** Name of the key file whose password opened this repository. */
    public String keyId() {
        return keyId;
    }

    public MasterIndex index() {
        return index;
    }

    public RepositoryOptions options() {
        return options;
    }

    public ChunkerTables chunkerTables() {
        return chunkerTables;
    }

    /**
     * Loads and merges every index file, several at a time. With a cache, an index loaded before
     * is reused and only index files added since are read; if any file it was built from is gone
     * (prune rewrote the index), everything is read again.
     */
    public void loadIndex() throws IOException {
        List<String> names = backend.list(FileType.INDEX);
        if (cache == null) {
            loadIndexFiles(names, index);
            return;
        }
        RepositoryCache.LoadedIndex cached = cache.index(config.id());
        MasterIndex target;
        List<String> toRead;
        if (cached != null && names.containsAll(cached.files())) {
            target = cached.index();
            toRead = names.stream().filter(n -> !cached.files().contains(n)).toList();
        } else {
            target = new MasterIndex();
            toRead = names;
        }
        loadIndexFiles(toRead, target);
        toRead.forEach(n -> cache.countIndexFileRead());
        index = target;
        cache.putIndex(config.id(), new RepositoryCache.LoadedIndex(java.util.Set.copyOf(names), target));
    }

    private void loadIndexFiles(List<String> names, MasterIndex into) throws IOException {
        if (names.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, names.size()));
        try {
            List<CompletableFuture<List<PackEntry>>> loads = new ArrayList<>();
            for (String name : names) {
                loads.add(Futures.supplyAsync(() -> IndexFile.decode(loadUnpacked(FileType.INDEX, Id.parse(name)), name),
                        pool));
            }
            for (CompletableFuture<List<PackEntry>> f : loads) {
                for (PackEntry p : Futures.join(f)) {
                    into.add(p);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Loads an index, snapshot or lock file: checks that it hashes to its name, authenticates,
     * decrypts and (v2) decompresses it.
     */
    public byte[] loadUnpacked(FileType type, Id id) throws IOException {
        if (cache != null && type == FileType.SNAPSHOT) {
            byte[] cached = cache.snapshotFile(config.id(), id);
            if (cached != null) {
                return cached;
            }
            byte[] plain = readUnpacked(type, id);
            cache.putSnapshotFile(config.id(), id, plain);
            return plain;
        }
        return readUnpacked(type, id);
    }

    private byte[] readUnpacked(FileType type, Id id) throws IOException {
        Handle h = new Handle(type, id.hex());
        byte[] stored = backend.load(h);
        if (!Id.hash(stored).equals(id)) {
            throw new StowageException(h.path() + " is damaged: its content does not match its name (SHA-256)");
        }
        byte[] plain;
        try {
            plain = key.open(stored);
        } catch (CiphertextVerificationException e) {
            throw new StowageException(h.path() + " is damaged: ciphertext verification failed", e);
        }
        return decodeUnpacked(plain, h.path());
    }

    private byte[] decodeUnpacked(byte[] plain, String what) {
        if (config.version() < 2 || plain.length == 0 || plain[0] == '{' || plain[0] == '[') {
            return plain;
        }
        if (plain[0] != 2) {
            throw new StowageException(what + " uses an unsupported encoding format " + (plain[0] & 0xff));
        }
        return Zstd.decompressStream(plain, 1, what);
    }

    /** Stores an index, snapshot or lock file and returns its ID. */
    public Id saveUnpacked(FileType type, byte[] json) throws IOException {
        byte[] plain = json;
        if (config.version() >= 2) {
            byte[] frame = zstd.compress(json, Compression.AUTO.zstdLevel());
            plain = new byte[frame.length + 1];
            plain[0] = 2;
            System.arraycopy(frame, 0, plain, 1, frame.length);
        }
        byte[] sealed = key.seal(plain);
        Id id = Id.hash(sealed);
        backend.save(new Handle(type, id.hex()), sealed);
        return id;
    }

    /** Loads a blob's plaintext via the index, verifying that it hashes to its ID. */
    public byte[] loadBlob(BlobType type, Id id) throws IOException {
        BlobLocation loc = index.lookup(type, id);
        if (loc == null) {
            throw new StowageException(type.jsonName() + " blob " + id + " is not in the index");
        }
        Handle pack = new Handle(FileType.PACK, loc.packId().hex());
        byte[] sealed;
        try {
            sealed = backend.load(pack, loc.blob().offset(), loc.blob().length());
        } catch (NotFoundException e) {
            throw new StowageException("pack " + pack.path() + " holding " + type.jsonName() + " blob "
                    + id.shortHex() + " is missing", e);
        } catch (java.io.EOFException e) {
            throw new StowageException("pack " + pack.path() + " is truncated: " + e.getMessage(), e);
        }
        return openBlobInPlace(sealed, 0, loc, pack.path());
    }

    /** Authenticates, decrypts, decompresses and verifies one blob read from {@code packName}. */
    public byte[] openBlob(byte[] buf, int offset, BlobLocation loc, String packName) {
        byte[] payload;
        try {
            payload = key.open(buf, offset, loc.blob().length());
        } catch (CiphertextVerificationException e) {
            throw damaged(loc, packName, e);
        }
        return unpack(payload, 0, payload.length, loc, packName);
    }

    /**
     * Like {@link #openBlob}, but decrypts inside {@code buf}, saving a copy of the blob: the
     * blob's bytes in {@code buf} are plaintext afterwards, so the caller must not read them again.
     */
    public byte[] openBlobInPlace(byte[] buf, int offset, BlobLocation loc, String packName) {
        int length = decryptInPlace(buf, offset, loc, packName);
        return unpack(buf, offset + CryptoKey.IV_SIZE, length, loc, packName);
    }

    /** Receives a blob's plaintext as {@code data[offset, offset+length)}, valid during the call only. */
    @FunctionalInterface
    public interface PlaintextSink {
        void accept(byte[] data, int offset, int length) throws IOException;
    }

    /**
     * Like {@link #openBlobInPlace}, without a new array per blob: the plaintext goes to
     * {@code sink} straight from {@code buf} when the blob is not compressed, else from an array
     * of {@code pool}.
     */
    public void openBlob(byte[] buf, int offset, BlobLocation loc, String packName, BufferPool pool,
                         PlaintextSink sink) throws IOException {
        int length = decryptInPlace(buf, offset, loc, packName);
        int payload = offset + CryptoKey.IV_SIZE;
        if (!loc.blob().compressed()) {
            verify(buf, payload, length, loc, packName);
            sink.accept(buf, payload, length);
            return;
        }
        int plainLength = loc.blob().uncompressedLength();
        byte[] plain = pool.take(plainLength);
        try {
            zstd.decompress(buf, payload, length, plain, plainLength,
                    "blob " + loc.blob().id().shortHex() + " in pack " + packName);
            verify(plain, 0, plainLength, loc, packName);
            sink.accept(plain, 0, plainLength);
        } finally {
            pool.give(plain);
        }
    }

    /** Authenticates and decrypts the blob at {@code buf[offset..]} in place; returns the payload length. */
    private int decryptInPlace(byte[] buf, int offset, BlobLocation loc, String packName) {
        try {
            return key.openInPlace(buf, offset, loc.blob().length());
        } catch (CiphertextVerificationException e) {
            throw damaged(loc, packName, e);
        }
    }

    private static StowageException damaged(BlobLocation loc, String packName, CiphertextVerificationException e) {
        return new StowageException("pack " + packName + " is damaged: " + loc.blob().type().jsonName() + " blob "
                + loc.blob().id().shortHex() + " at offset " + loc.blob().offset() + " fails authentication", e);
    }

    /** Decompresses the decrypted payload if needed and checks it against the blob's ID. */
    private byte[] unpack(byte[] payload, int off, int len, BlobLocation loc, String packName) {
        byte[] plain;
        if (loc.blob().compressed()) {
            plain = zstd.decompress(payload, off, len, loc.blob().uncompressedLength(),
                    "blob " + loc.blob().id().shortHex() + " in pack " + packName);
        } else if (off == 0 && len == payload.length) {
            plain = payload;
        } else {
            plain = Arrays.copyOfRange(payload, off, off + len);
        }
        verify(plain, 0, plain.length, loc, packName);
        return plain;
    }

    private static void verify(byte[] plain, int off, int len, BlobLocation loc, String packName) {
        if (!Id.hash(plain, off, len).equals(loc.blob().id())) {
            throw new StowageException("pack " + packName + " is damaged: blob " + loc.blob().id().shortHex()
                    + " does not match its ID");
        }
    }

    /** Starts a writing session; see {@link BlobSaver}. */
    public BlobSaver newBlobSaver() {
        return new BlobSaver(this);
    }

    /** See {@link Zstd#compress(byte[], int, int, byte[], int, int)}. */
    int compress(byte[] src, int off, int len, byte[] dst, int dstOff, int level) {
        return zstd.compress(src, off, len, dst, dstOff, level);
    }

    /** IDs of the files of one type in the repository. */
    public List<Id> listIds(FileType type) throws IOException {
        List<Id> ids = new ArrayList<>();
        for (String name : backend.list(type)) {
            ids.add(Id.parse(name));
        }
        return ids;
    }

    /** Loads every unpacked file of a type, several at a time (snapshots, locks). */
    public <T> List<T> loadAll(FileType type, UnpackedDecoder<T> decoder) throws IOException {
        List<Id> ids = listIds(type);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, Math.max(1, ids.size())));
        try {
            List<CompletableFuture<T>> loads = new ArrayList<>();
            for (Id id : ids) {
                loads.add(Futures.supplyAsync(() -> decoder.decode(id, loadUnpacked(type, id)), pool));
            }
            List<T> out = new ArrayList<>();
            for (CompletableFuture<T> f : loads) {
                out.add(Futures.join(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Turns an unpacked file's plaintext into a value. */
    @FunctionalInterface
    public interface UnpackedDecoder<T> {
        T decode(Id id, byte[] plaintext);
    }

    @Override
    public void close() throws IOException {
        zstd.close();
        backend.close();
    }
}
