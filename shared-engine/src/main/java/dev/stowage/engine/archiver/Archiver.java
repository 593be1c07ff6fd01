package dev.stowage.engine.archiver;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.BufferPool;
import dev.stowage.engine.Futures;
import dev.stowage.engine.Id;
import dev.stowage.engine.LockLostException;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.chunker.Chunk;
import dev.stowage.engine.chunker.Chunker;
import dev.stowage.engine.data.ExtendedAttribute;
import dev.stowage.engine.data.FileMode;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotFilter;
import dev.stowage.engine.data.SnapshotSummary;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.filter.Pattern;
import dev.stowage.engine.fs.FileInfo;
import dev.stowage.engine.fs.Names;
import dev.stowage.engine.fs.Owners;
import dev.stowage.engine.fs.SlicedInputStream;
import dev.stowage.engine.fs.Xattrs;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.repository.BlobSaver;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backs up directory trees or a stream into a snapshot.
 *
 * <p>Work is spread over a pipeline so both cores stay busy: walker threads walk the trees, each
 * subtree depth-first and separate subtrees in parallel; reader threads read, chunk and hash files;
 * blob workers compress, encrypt and pack the chunks;
 * the {@link BlobSaver} uploads finished packs. Bounded queues between the stages keep memory
 * independent of the data size. Packs are written first, then the index, then the snapshot, so
 * a backup that fails leaves no snapshot.
 */
public final class Archiver {
    /** Files handed to readers but not yet finished, at most. */
    private static final int MAX_PENDING_FILES = 2000;
    /** Chunk bytes waiting for a blob worker, at most (in KiB). */
    private static final int MAX_INFLIGHT_KIB = 8 * 1024;
    /** Chunk and chunker buffers kept for reuse, at most (bytes). */
    private static final long POOLED_BUFFER_BYTES = 24L << 20;

    private final Repository repo;
    private final BackupOptions options;
    private final BackupProgress progress;
    private final Identity identity;
    private final Owners owners = new Owners();
    private final List<Pattern> excludes;

    public Archiver(Repository repo, BackupOptions options, BackupProgress progress, Identity identity) {
        this.repo = repo;
        this.options = options;
        this.progress = progress;
        this.identity = identity;
        this.excludes = options.excludes().stream().map(Pattern::compile).toList();
    }

    /** Backs up the given files and directories into a new snapshot. */
    public BackupResult backup(List<Path> targets) throws IOException {
        if (targets.isEmpty()) {
            throw new StowageException("nothing to back up: give at least one file or directory");
        }
        OffsetDateTime start = GoTime.local(Instant.now());
        VirtualDir root = new VirtualDir(null);
        List<String> absolutePaths = new ArrayList<>();
        for (Path target : targets) {
            Path abs = target.toAbsolutePath().normalize();
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new StowageException("backup target " + target + " does not exist");
            }
            Path shape = target.isAbsolute() || target.normalize().startsWith("..") ? abs : target.normalize();
            if (shape.getNameCount() == 0 || shape.toString().isEmpty()) {
                // "." or "/": the directory's own entries form the root
                shape = abs;
            }
            absolutePaths.add(abs.toString());
            root.add(shape, abs);
        }
        Collections.sort(absolutePaths);
        Snapshot parent = findParent(absolutePaths);
        try (Run run = new Run(parent)) {
            Thread scanner = progress.countAhead() ? startScanner(targets) : null;
            try {
                Id rootTree = run.rootTree(root);
                run.finish();
                return writeSnapshot(run, rootTree, absolutePaths, parent, start);
            } finally {
                if (scanner != null) {
                    scanner.interrupt();
                }
            }
        }
    }

    /**
     * Backs up a stream as one file named {@code filename} (restic's {@code --stdin}). The snapshot
     * is written only if the stream ends normally; if reading fails, no snapshot is made.
     */
    public BackupResult backupStream(InputStream in, String filename) throws IOException {
        byte[][] parts = Arrays.stream(filename.split("/")).filter(s -> !s.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        if (parts.length == 0 || Arrays.stream(parts).anyMatch(p -> Arrays.equals(p, "..".getBytes(StandardCharsets.UTF_8)))) {
            throw new StowageException("invalid stdin file name \"" + filename + "\"");
        }
        OffsetDateTime start = GoTime.local(Instant.now());
        OffsetDateTime time = options.time() != null ? options.time() : start;
        List<String> paths = List.of("/" + String.join("/", Arrays.stream(parts).map(p -> new String(p, StandardCharsets.UTF_8)).toList()));
        Snapshot parent = findParent(paths);
        try (Run run = new Run(parent)) {
            List<Id> content = new ArrayList<>();
            long size = run.chunkStream(in, content);
            long uid = currentUid();
            long gid = currentGid();
            Node node = new Node(parts[parts.length - 1], NodeType.FILE, 0644, time, time, time, uid, gid, "", "",
                    0, 0, size, 0, null, List.of(), 0, content, null, "");
            run.filesNew.incrementAndGet();
            for (int i = parts.length - 2; i >= 0; i--) {
                Id sub = run.saveTree(List.of(node));
                node = new Node(parts[i], NodeType.DIR, FileMode.DIR | 0755, time, time, time, uid, gid, "", "",
                        0, 0, 0, 0, null, List.of(), 0, null, sub, "");
                run.dirsNew.incrementAndGet();
            }
            Id rootTree = run.saveTree(List.of(node));
            run.finish();
            return writeSnapshot(run, rootTree, paths, parent, start);
        }
    }

    private BackupResult writeSnapshot(Run run, Id rootTree, List<String> paths, Snapshot parent, OffsetDateTime start)
            throws IOException {
        OffsetDateTime end = GoTime.local(Instant.now());
        SnapshotSummary summary = new SnapshotSummary(start, end, run.filesNew.get(), run.filesChanged.get(),
                run.filesUnmodified.get(), run.dirsNew.get(), run.dirsChanged.get(), run.dirsUnmodified.get(),
                run.saver.newBlobs(BlobType.DATA), run.saver.newBlobs(BlobType.TREE), run.saver.addedBytes(),
                run.saver.storedBytes(), run.filesNew.get() + run.filesChanged.get() + run.filesUnmodified.get(),
                run.bytesProcessed.get());
        Snapshot snapshot = new Snapshot(null, options.time() != null ? options.time() : start,
                parent == null ? null : parent.id(), rootTree, paths, options.hostname(), identity.username(),
                currentUid(), currentGid(), options.excludes(), options.tags(), null, "stowage " + Version.VERSION, summary);
        Snapshot saved = Snapshots.save(repo, snapshot);
        return new BackupResult(saved, summary, run.warnings);
    }

    private Snapshot findParent(List<String> paths) throws IOException {
        if (options.force()) {
            return null;
        }
        if (options.parent() != null) {
            return Snapshots.find(repo, options.parent().hex(), SnapshotFilter.ALL);
        }
        List<String> sorted = new ArrayList<>(paths);
        Collections.sort(sorted);
        return Snapshots.loadAll(repo).stream()
                .filter(s -> s.hostname().equals(options.hostname()))
                .filter(s -> {
                    List<String> p = new ArrayList<>(s.paths());
                    Collections.sort(p);
                    return p.equals(sorted);
                })
                .reduce((a, b) -> b) // loadAll is oldest first
                .orElse(null);
    }

    /** Counts files and bytes ahead of the backup so progress can show an ETA. */
    private Thread startScanner(List<Path> targets) {
        Thread t = new Thread(() -> {
            try {
                for (Path target : targets) {
                    Files.walkFileTree(target, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (Thread.currentThread().isInterrupted()) {
                                return FileVisitResult.TERMINATE;
                            }
                            if (attrs.isRegularFile()) {
                                progress.filesTotal.incrementAndGet();
                                progress.bytesTotal.addAndGet(attrs.size());
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
                }
                progress.scanFinished = true;
            } catch (IOException | RuntimeException e) {
                // the scan only feeds the ETA; the backup itself reports real errors
            }
        }, "backup-scan");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Why an I/O operation on a path failed, for a warning that already names the path. The JDK's
     * message of a FileSystemException is the path alone when it has no reason text, as for
     * AccessDeniedException, which would give "cannot read /f: /f".
     */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static long currentUid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    private static long currentGid() {
        return new com.sun.security.auth.module.UnixSystem().getGid();
    }

    /** The tree shape the targets give the snapshot: intermediate directories down to each target. */
    private static final class VirtualDir {
        final Path real;
        final TreeMap<byte[], VirtualDir> children = new TreeMap<>(Arrays::compareUnsigned);
        boolean target;
        /** Set when "/" itself is a target. */
        Path realRoot;

        VirtualDir(Path real) {
            this.real = real;
        }

        void add(Path shape, Path abs) {
            VirtualDir d = this;
            int n = shape.getNameCount();
            for (int i = 0; i < n; i++) {
                Path real = abs.getRoot().resolve(abs.subpath(0, abs.getNameCount() - (n - 1 - i)));
                byte[] name = Names.bytes(real);
                VirtualDir child = d.children.get(name);
                if (child == null) {
                    child = new VirtualDir(real);
                    d.children.put(name, child);
                }
                d = child;
            }
            d.target = true;
            if (n == 0) {
                // "/" itself: its entries become the root tree's entries
                d.realRoot = abs;
            }
        }

    }

    /** One backup's executors, saver and statistics. */
    private final class Run implements AutoCloseable {
        final BlobSaver saver = repo.newBlobSaver();
        final Snapshot parent;
        // LIFO work-stealing: a walker takes the newest directory it found itself (depth-first, so
        // only the directories on its current path are open), an idle one steals the oldest
        final ForkJoinPool walkers = new ForkJoinPool(options.readThreads(), pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("tree-walker");
            return t;
        }, null, false);
        final ExecutorService readers = Executors.newFixedThreadPool(options.readThreads(), daemon("file-reader"));
        final ExecutorService blobWorkers = Executors.newFixedThreadPool(2, daemon("blob-worker"));
        final Semaphore pendingFiles = new Semaphore(MAX_PENDING_FILES);
        final Semaphore inflight = new Semaphore(MAX_INFLIGHT_KIB);
        final BufferPool buffers = new BufferPool(POOLED_BUFFER_BYTES);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong filesNew = new AtomicLong();
        final AtomicLong filesChanged = new AtomicLong();
        final AtomicLong filesUnmodified = new AtomicLong();
        final AtomicLong dirsNew = new AtomicLong();
        final AtomicLong dirsChanged = new AtomicLong();
        final AtomicLong dirsUnmodified = new AtomicLong();
        final AtomicLong bytesProcessed = new AtomicLong();

        Run(Snapshot parent) {
            this.parent = parent;
        }

        Id rootTree(VirtualDir root) throws IOException {
            Map<String, Node> parentRoot = parent == null ? Map.of() : loadTree(parent.tree());
            List<CompletableFuture<Node>> children = new ArrayList<>();
            if (root.target) {
                // "/" or "." was given: back up that directory's entries as the root
                children.addAll(walkEntries(root.realRoot, components(root.realRoot), parentRoot));
            }
            for (Map.Entry<byte[], VirtualDir> e : root.children.entrySet()) {
                children.add(virtual(e.getKey(), e.getValue(), List.of(), parentRoot));
            }
            return Futures.join(treeOf(children, null)).subtree();
        }

        private CompletableFuture<Node> virtual(byte[] name, VirtualDir dir, List<String> parentPath,
                                                Map<String, Node> parentEntries) throws IOException {
            FileInfo fi = FileInfo.lstat(dir.real);
            Node previous = parentEntries.get(key(name));
            // excludes see the absolute path, as in restic, even when the target was given relative
            List<String> path = components(dir.real);
            if (dir.target) {
                return entry(dir.real, name, fi, previous, path);
            }
            Node meta = nodeFrom(dir.real, name, fi);
            List<CompletableFuture<Node>> children = new ArrayList<>();
            Map<String, Node> prevEntries = subtreeOf(previous);
            for (Map.Entry<byte[], VirtualDir> e : dir.children.entrySet()) {
                children.add(virtual(e.getKey(), e.getValue(), path, prevEntries));
            }
            return treeOf(children, meta).thenApply(n -> countDir(n, previous));
        }

        /** Directories go to the walkers, files to the readers, metadata and all. */
        private CompletableFuture<Node> entry(Path p, byte[] name, FileInfo fi, Node previous, List<String> path)
                throws IOException {
            return switch (FileMode.typeOf(fi.mode())) {
                case DIR -> directory(p, name, fi, previous, path);
                case FILE -> file(p, name, fi, previous);
                default -> CompletableFuture.completedFuture(nodeFrom(p, name, fi));
            };
        }

        /** Walks a directory on a walker thread; its tree is saved once all its entries are done. */
        private CompletableFuture<Node> directory(Path p, byte[] name, FileInfo fi, Node previous, List<String> path) {
            return Futures.supplyAsync(() -> treeOf(walkEntries(p, path, subtreeOf(previous)), nodeFrom(p, name, fi)),
                    walkers).thenCompose(tree -> tree).thenApply(n -> countDir(n, previous));
        }

        private List<CompletableFuture<Node>> walkEntries(Path dir, List<String> path, Map<String, Node> prevEntries)
                throws IOException {
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(entries::add);
            } catch (IOException e) {
                warnings.add("cannot read directory " + dir + ": " + reason(e));
                return List.of();
            }
            List<CompletableFuture<Node>> children = new ArrayList<>(entries.size());
            for (Path p : entries) {
                byte[] name = Names.bytes(p);
                List<String> childPath = append(path, name);
                if (isExcluded(childPath)) {
                    continue;
                }
                try {
                    children.add(entry(p, name, FileInfo.lstat(p), prevEntries.get(key(name)), childPath));
                } catch (NoSuchFileException e) {
                    // vanished while we looked
                } catch (IOException e) {
                    warnings.add("cannot read " + p + ": " + reason(e));
                }
            }
            return children;
        }

        private boolean isExcluded(List<String> path) {
            for (Pattern pattern : excludes) {
                if (pattern.matches(path)) {
                    return true;
                }
            }
            return false;
        }

        private Node countDir(Node n, Node previous) {
            if (previous == null || previous.type() != NodeType.DIR) {
                dirsNew.incrementAndGet();
            } else if (n.subtree().equals(previous.subtree())) {
                dirsUnmodified.incrementAndGet();
            } else {
                dirsChanged.incrementAndGet();
            }
            return n;
        }

        /** Completes with {@code meta} pointing at the tree of the children, once they are all done. */
        private CompletableFuture<Node> treeOf(List<CompletableFuture<Node>> children, Node meta) {
            return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Node> nodes = new ArrayList<>(children.size());
                for (CompletableFuture<Node> c : children) {
                    Node n = c.join();
                    if (n != null) {
                        nodes.add(n);
                    }
                }
                Id tree = saveTree(nodes);
                return meta == null ? rootNode(tree) : meta.withSubtree(tree);
            });
        }

        private Node rootNode(Id tree) {
            return new Node(new byte[0], NodeType.DIR, 0, null, null, null, 0, 0, "", "", 0, 0, 0, 0, null,
                    List.of(), 0, null, tree, "");
        }

        Id saveTree(List<Node> nodes) {
            byte[] json = TreeCodec.encode(nodes);
            Id id = Id.hash(json);
            saver.save(BlobType.TREE, id, json);
            return id;
        }

        private CompletableFuture<Node> file(Path p, byte[] name, FileInfo fi, Node previous) {
            acquire(pendingFiles, 1);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    boolean same = previous != null && unchanged(previous, fi);
                    // setting an extended attribute changes ctime, so an unchanged file still has
                    // the attributes its previous node recorded: no need to open it to list them
                    Node meta = nodeFrom(p, name, fi, same ? previous.extendedAttributes() : null);
                    if (same && allIndexed(previous.content())) {
                        filesUnmodified.incrementAndGet();
                        progress.filesDone.incrementAndGet();
                        progress.bytesDone.addAndGet(previous.size());
                        bytesProcessed.addAndGet(previous.size());
                        return meta.withContent(previous.content(), previous.size());
                    }
                    List<Id> content = new ArrayList<>();
                    long size;
                    try (InputStream in = new SlicedInputStream(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS))) {
                        size = chunkStream(in, content);
                    }
                    (previous == null ? filesNew : filesChanged).incrementAndGet();
                    progress.filesDone.incrementAndGet();
                    return meta.withContent(content, size);
                } catch (NoSuchFileException e) {
                    return null; // vanished while we looked
                } catch (IOException e) {
                    warnings.add("cannot read " + p + ": " + reason(e));
                    return null;
                } finally {
                    pendingFiles.release();
                }
            }, readers);
        }

        /** restic's change test: same size, mtime, ctime and inode. */
        private boolean unchanged(Node prev, FileInfo cur) {
            return prev.type() == NodeType.FILE && prev.content() != null && prev.size() == cur.size()
                    && prev.mtime().toInstant().equals(cur.mtime())
                    && prev.ctime().toInstant().equals(cur.ctime())
                    && prev.inode() == cur.inode();
        }

        private boolean allIndexed(List<Id> content) {
            for (Id id : content) {
                if (!repo.index().has(BlobType.DATA, id)) {
                    return false;
                }
            }
            return true;
        }

        /** Chunks and hashes a stream on this thread; blob workers store the new chunks. */
        long chunkStream(InputStream in, List<Id> content) throws IOException {
            long size = 0;
            try (Chunker chunker = new Chunker(repo.chunkerTables(), in, buffers)) {
                Chunk chunk;
                while ((chunk = chunker.next()) != null) {
                    throwIfFailed();
                    Id id = Id.hash(chunk.data(), 0, chunk.length());
                    content.add(id);
                    size += chunk.length();
                    progress.bytesDone.addAndGet(chunk.length());
                    bytesProcessed.addAndGet(chunk.length());
                    if (repo.index().has(BlobType.DATA, id)) {
                        buffers.give(chunk.data());
                    } else {
                        storeLater(id, chunk);
                    }
                }
            }
            return size;
        }

        private void storeLater(Id id, Chunk chunk) {
            int kib = (chunk.length() + 1023) >>> 10;
            acquire(inflight, kib);
            try {
                blobWorkers.execute(() -> {
                    try {
                        saver.save(BlobType.DATA, id, chunk.data(), chunk.length());
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        buffers.give(chunk.data());
                        inflight.release(kib);
                    }
                });
            } catch (RuntimeException e) {
                buffers.give(chunk.data());
                inflight.release(kib);
                throw e;
            }
        }

        /** Waits for every blob, then writes the remaining packs and the index. */
        void finish() throws IOException {
            acquire(inflight, MAX_INFLIGHT_KIB);
            inflight.release(MAX_INFLIGHT_KIB);
            throwIfFailed();
            saver.flush();
        }

        private void throwIfFailed() {
            Throwable t = failure.get();
            if (t != null) {
                throw t instanceof StowageException se ? se : new StowageException("storing data failed: " + t.getMessage(), t);
            }
        }

        private Map<String, Node> subtreeOf(Node previous) {
            if (previous == null || previous.type() != NodeType.DIR || previous.subtree() == null) {
                return Map.of();
            }
            try {
                return loadTree(previous.subtree());
            } catch (LockLostException e) {
                throw e;
            } catch (IOException | StowageException e) {
                return Map.of(); // a damaged parent only costs re-reading the files
            }
        }

        private Map<String, Node> loadTree(Id tree) throws IOException {
            List<Node> nodes = TreeCodec.decode(repo.loadBlob(BlobType.TREE, tree), tree.shortHex());
            Map<String, Node> byName = new HashMap<>(nodes.size() * 2);
            for (Node n : nodes) {
                byName.put(key(n.name()), n);
            }
            return byName;
        }

        @Override
        public void close() {
            walkers.shutdownNow();
            readers.shutdownNow();
            blobWorkers.shutdownNow();
            try {
                blobWorkers.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            saver.close();
        }
    }

    private Node nodeFrom(Path p, byte[] name, FileInfo fi) throws IOException {
        return nodeFrom(p, name, fi, null);
    }

    /** @param knownXattrs the entry's extended attributes if known to be current, else null to read them */
    private Node nodeFrom(Path p, byte[] name, FileInfo fi, List<ExtendedAttribute> knownXattrs) throws IOException {
        NodeType type = FileMode.typeOf(fi.mode());
        OffsetDateTime mtime = GoTime.local(fi.mtime());
        OffsetDateTime atime = options.withAtime() ? GoTime.local(fi.atime()) : mtime;
        OffsetDateTime ctime = GoTime.local(fi.ctime());
        boolean hasLinks = type == NodeType.FILE || type == NodeType.SYMLINK || type == NodeType.DEV
                || type == NodeType.CHARDEV;
        byte[] linkTarget = type == NodeType.SYMLINK ? Names.linkTarget(p) : null;
        List<ExtendedAttribute> xattrs = knownXattrs != null ? knownXattrs
                : type == NodeType.FILE || type == NodeType.DIR ? Xattrs.read(p) : List.of();
        long device = type == NodeType.DEV || type == NodeType.CHARDEV ? fi.rdev() : 0;
        return new Node(name, type, FileMode.fromPosix(fi.mode()), mtime, atime, ctime, fi.uid(), fi.gid(),
                owners.userName(p, fi.uid()), owners.groupName(p, fi.gid()), fi.inode(), fi.device(),
                type == NodeType.FILE ? fi.size() : 0, hasLinks ? fi.links() : 0, linkTarget, xattrs, device,
                type == NodeType.FILE ? List.of() : null, null, "");
    }

    private static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    /** The components of an absolute path, as exclude patterns see them. */
    private static List<String> components(Path abs) {
        List<String> out = new ArrayList<>(abs.getNameCount());
        for (int i = 1; i <= abs.getNameCount(); i++) {
            out.add(new String(Names.bytes(abs.getRoot().resolve(abs.subpath(0, i))), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> append(List<String> path, byte[] name) {
        List<String> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(new String(name, StandardCharsets.UTF_8));
        return out;
    }

    private static void acquire(Semaphore s, int permits) {
        try {
            s.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException("interrupted", e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
