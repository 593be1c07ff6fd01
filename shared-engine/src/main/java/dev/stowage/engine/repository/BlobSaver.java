package dev.stowage.engine.repository;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.LockLostException;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.crypto.CryptoKey;
import dev.stowage.engine.index.IndexFile;
import dev.stowage.engine.index.PackEntry;
import dev.stowage.engine.pack.PackWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes new blobs into packs for one operation (a backup): compresses and encrypts on the
 * caller's thread, streams them into one open data and one open tree pack, finishes full packs
 * (header, fsync, rename) in the background a bounded number at a time, and finally writes the
 * index files for them. Nothing it writes is referenced until {@link #flush()} has written the index, and a
 * snapshot must only be written after that. Thread-safe.
 */
public final class BlobSaver implements AutoCloseable {
    /** restic starts a new index file after this many blobs. */
    static final int INDEX_MAX_BLOBS = 50_000;
    /** Largest pooled scratch buffer: most chunks are 0.5 to 3 MiB, at most 8 MiB. */
    private static final int MAX_POOLED_BUFFER = 4 << 20;

    private final Repository repo;
    private final Set<Id> pendingData = ConcurrentHashMap.newKeySet();
    private final Set<Id> pendingTrees = ConcurrentHashMap.newKeySet();
    private final Object packLock = new Object();
    /**
     * Scratch buffers for compressing and encrypting, one per thread storing a blob at a time. Not
     * a {@link dev.stowage.engine.BufferPool}: with its power-of-two sizes a 1 GiB backup collected
     * more often and peaked about 10 MiB higher than with these few buffers that only grow.
     */
    private final ConcurrentLinkedDeque<byte[]> buffers = new ConcurrentLinkedDeque<>();
    private PackWriter dataPack;
    private PackWriter treePack;
    private final ExecutorService uploader;
    private final Semaphore uploadSlots;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<PackEntry> unindexed = new ArrayList<>();
    private final List<PackEntry> written = new ArrayList<>();
    private int unindexedBlobs;
    private final AtomicLong addedBytes = new AtomicLong();
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong dataBlobs = new AtomicLong();
    private final AtomicLong treeBlobs = new AtomicLong();

    BlobSaver(Repository repo) {
        this.repo = repo;
        int threads = repo.options().uploadThreads();
        this.uploader = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pack-upload");
            t.setDaemon(true);
            return t;
        });
        this.uploadSlots = new Semaphore(threads);
    }

    /**
     * Stores a blob unless the index or this saver already has it.
     *
     * @return whether the blob was new
     */
    public boolean save(BlobType type, Id id, byte[] plain) {
        return store(type, id, plain, plain.length, true);
    }

    /** {@link #save(BlobType, Id, byte[])} of {@code plain[0, length)}. */
    public boolean save(BlobType type, Id id, byte[] plain, int length) {
        return store(type, id, plain, length, true);
    }

    /**
     * Stores a blob even though the index already lists it (prune copying a blob out of a pack
     * that is going to be deleted); a blob this saver already wrote is still skipped.
     *
     * @return whether the blob was written
     */
    public boolean copy(BlobType type, Id id, byte[] plain) {
        return store(type, id, plain, plain.length, false);
    }

    private boolean store(BlobType type, Id id, byte[] plain, int length, boolean skipIndexed) {
        throwIfFailed();
        if ((skipIndexed && repo.index().has(type, id)) || !(type == BlobType.DATA ? pendingData : pendingTrees).add(id)) {
            return false;
        }
        Compression c = repo.options().compression();
        boolean v2 = repo.config().version() >= 2;
        // restic never compresses empty blobs: a zero uncompressed length means "not compressed"
        boolean compress = v2 && length > 0 && (type == BlobType.TREE || c != Compression.OFF);
        // the blob is compressed and encrypted in a reused buffer: IV, payload, MAC
        byte[] buf = borrowBuffer(CryptoKey.OVERHEAD + (compress ? Zstd.bound(length) : length));
        try {
            int payloadLength = length;
            int uncompressedLength = 0;
            if (compress) {
                int level = type == BlobType.TREE ? Compression.AUTO.zstdLevel() : c.zstdLevel();
                int frame = repo.compress(plain, 0, length, buf, CryptoKey.IV_SIZE, level);
                // incompressible data is stored as is; restic reads both forms
                if (type == BlobType.TREE || frame < length) {
                    payloadLength = frame;
                    uncompressedLength = length;
                }
            }
            if (uncompressedLength == 0) {
                System.arraycopy(plain, 0, buf, CryptoKey.IV_SIZE, length);
            }
            int sealed = repo.key().sealInPlace(buf, 0, payloadLength);
            addedBytes.addAndGet(length);
            storedBytes.addAndGet(sealed);
            (type == BlobType.DATA ? dataBlobs : treeBlobs).incrementAndGet();
            addToPack(type, id, buf, sealed, uncompressedLength);
        } finally {
            if (buf.length <= MAX_POOLED_BUFFER) {
                buffers.addFirst(buf);
            }
        }
        return true;
    }

    /**
     * A scratch buffer of at least {@code size} bytes, from the pool when one is large enough.
     * Pooled buffers grow to at most {@link #MAX_POOLED_BUFFER}: the few larger chunks get a
     * buffer of their own rather than keeping every pooled one at 8 MiB.
     */
    private byte[] borrowBuffer(int size) {
        if (size > MAX_POOLED_BUFFER) {
            return new byte[size];
        }
        byte[] buf = buffers.pollFirst();
        if (buf == null || buf.length < size) {
            // grow in steps, so that a few sizes serve every blob
            buf = new byte[Math.max(size, buf == null ? 0 : Math.min(buf.length * 2, MAX_POOLED_BUFFER))];
        }
        return buf;
    }

    private void addToPack(BlobType type, Id id, byte[] sealed, int length, int uncompressedLength) {
        PackWriter full = null;
        synchronized (packLock) {
            try {
                PackWriter pw = type == BlobType.DATA ? dataPack : treePack;
                if (pw == null) {
                    pw = new PackWriter(repo.backend());
                    if (type == BlobType.DATA) {
                        dataPack = pw;
                    } else {
                        treePack = pw;
                    }
                }
                pw.add(type, id, sealed, 0, length, uncompressedLength);
                if (pw.size() >= repo.options().packSize()) {
                    full = pw;
                    if (type == BlobType.DATA) {
                        dataPack = null;
                    } else {
                        treePack = null;
                    }
                }
            } catch (IOException e) {
                throw new StowageException("writing a pack to " + repo.backend().location() + " failed: " + e.getMessage(), e);
            }
        }
        if (full != null) {
            finishInBackground(full);
        }
    }

    /** Header, fsync and rename happen on an upload thread; the data is already written. */
    private void finishInBackground(PackWriter pw) {
        try {
            uploadSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException("interrupted", e);
        }
        try {
            uploader.execute(() -> {
                try (pw) {
                    PackWriter.Finished pack = pw.finish(repo.key());
                    packUploaded(new PackEntry(pack.id(), pack.blobs()));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    uploadSlots.release();
                }
            });
        } catch (RuntimeException e) {
            uploadSlots.release();
            throw e;
        }
    }

    private void packUploaded(PackEntry pack) throws IOException {
        List<PackEntry> toWrite = null;
        synchronized (unindexed) {
            unindexed.add(pack);
            written.add(pack);
            unindexedBlobs += pack.blobs().size();
            if (unindexedBlobs >= INDEX_MAX_BLOBS) {
                toWrite = new ArrayList<>(unindexed);
                unindexed.clear();
                unindexedBlobs = 0;
            }
        }
        if (toWrite != null) {
            writeIndex(toWrite);
        }
    }

    private void writeIndex(List<PackEntry> packs) throws IOException {
        repo.saveUnpacked(FileType.INDEX, IndexFile.encode(packs));
        for (PackEntry p : packs) {
            repo.index().add(p);
        }
    }

    /**
     * Uploads the open packs, waits for every upload and writes the index for all packs written
     * so far. After it returns, every saved blob is durable and indexed.
     */
    public void flush() throws IOException {
        List<PackWriter> open = new ArrayList<>(2);
        synchronized (packLock) {
            if (dataPack != null && !dataPack.isEmpty()) {
                open.add(dataPack);
            }
            if (treePack != null && !treePack.isEmpty()) {
                open.add(treePack);
            }
            dataPack = null;
            treePack = null;
        }
        for (PackWriter pw : open) {
            finishInBackground(pw);
        }
        int all = repo.options().uploadThreads();
        try {
            uploadSlots.acquire(all);
            uploadSlots.release(all);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException("interrupted", e);
        }
        throwIfFailed();
        List<PackEntry> rest;
        synchronized (unindexed) {
            rest = new ArrayList<>(unindexed);
            unindexed.clear();
            unindexedBlobs = 0;
        }
        if (!rest.isEmpty()) {
            writeIndex(rest);
        }
    }

    private void throwIfFailed() {
        Throwable t = failure.get();
        if (t instanceof LockLostException lost) {
            throw lost;
        }
        if (t != null) {
            throw new StowageException("writing a pack failed: " + t.getMessage(), t);
        }
    }

    /** Every pack this saver has finished so far, with its blobs as its index entry lists them. */
    public List<PackEntry> writtenPacks() {
        synchronized (unindexed) {
            return List.copyOf(written);
        }
    }

    /** Plaintext bytes of the blobs that were new. */
    public long addedBytes() {
        return addedBytes.get();
    }

    /** Bytes the new blobs occupy in packs (compressed and encrypted). */
    public long storedBytes() {
        return storedBytes.get();
    }

    public long newBlobs(BlobType type) {
        return (type == BlobType.DATA ? dataBlobs : treeBlobs).get();
    }

    @Override
    public void close() {
        synchronized (packLock) {
            // a failed backup leaves no half-written pack behind
            for (PackWriter pw : new PackWriter[] {dataPack, treePack}) {
                if (pw != null) {
                    try {
                        pw.close();
                    } catch (IOException e) {
                        // best effort: the temporary file is ignored by readers anyway
                    }
                }
            }
            dataPack = null;
            treePack = null;
        }
        uploader.shutdownNow();
        try {
            uploader.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
