package dev.stowage.engine.restorer;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.BufferPool;
import dev.stowage.engine.Futures;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.data.ExtendedAttribute;
import dev.stowage.engine.data.FileMode;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.filter.PathFilter;
import dev.stowage.engine.fs.CreationMask;
import dev.stowage.engine.fs.DirectIo;
import dev.stowage.engine.fs.Names;
import dev.stowage.engine.fs.SpecialFiles;
import dev.stowage.engine.fs.Xattrs;
import dev.stowage.engine.index.BlobLocation;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restores a snapshot into an empty directory.
 *
 * <p>It first walks the selected part of the snapshot and refuses, before writing anything, names
 * that could escape the target ({@code /}, {@code ..}, {@code .}, empty names, NUL bytes, duplicate
 * names). Then it creates directories and special files, reads each pack that holds needed data
 * once and writes its blobs to every place they belong (several packs at a time), and finally
 * applies metadata, directories last so their times stick. Large files (see
 * {@link RestoreOptions#directIoMinSize()}) are written past the page cache where the file system
 * allows it ({@code DirectWriter}). Nothing follows a symbolic link: the
 * target starts empty, every parent of every entry is a directory this restore created, and files
 * are opened with {@code NOFOLLOW_LINKS}. If data is damaged, the restore fails and removes every
 * file it could not complete, so nothing wrong is left behind.
 */
public final class Restorer {
    private static final OpenOptionsHolder OPEN = new OpenOptionsHolder();
    /** Longest stretch of a pack read at once, and the largest unneeded gap read through. */
    private static final long MAX_RUN = 2 << 20;
    private static final long MAX_GAP = 256 << 10;
    /** Threads loading trees ahead of the planner. */
    private static final int TREE_LOADERS = 2;
    private static final long POOLED_BUFFER_BYTES = 24L << 20;

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    private final Repository repo;
    private final RestoreOptions options;
    private final RestoreProgress progress;
    private final long processUid = new com.sun.security.auth.module.UnixSystem().getUid();
    private final long processGid = new com.sun.security.auth.module.UnixSystem().getGid();
    private final Set<Path> failedSpecials = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Pack reads and decompressed blobs; see {@link BufferPool}. */
    private final BufferPool buffers = new BufferPool(POOLED_BUFFER_BYTES);

    public Restorer(Repository repo, RestoreOptions options, RestoreProgress progress) {
        this.repo = repo;
        this.options = options;
        this.progress = progress;
    }

    public RestoreResult restore(Snapshot snapshot, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new StowageException("restore target " + target + " exists and is not a directory");
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                if (ds.iterator().hasNext()) {
                    throw new TargetNotEmptyException(target.toString());
                }
            }
        }
        Plan plan = new Plan();
        ExecutorService treeLoader = Executors.newFixedThreadPool(TREE_LOADERS, r -> {
            Thread t = new Thread(r, "tree-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            // the root is not selected by itself: with includes, only matches (and what is below them) are
            plan(snapshot.tree(), loadTree(snapshot.tree(), treeLoader), root, "", false, plan, new HashSet<>(),
                    treeLoader);
        } finally {
            treeLoader.shutdownNow();
        }
        long bytes = plan.files.stream().mapToLong(Entry::size).sum();
        progress.filesTotal = plan.files.size() + plan.hardLinks.size();
        progress.bytesTotal = bytes;

        Files.createDirectories(root);
        for (Entry d : plan.dirs) {
            Files.createDirectory(d.path);
        }
        CreatePermissions permissions = new CreatePermissions(CreationMask.probe(root));
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        for (Entry e : plan.others) {
            createSpecial(e, permissions, warnings);
        }
        long directBytes = writeContent(plan, root, permissions, warnings);
        for (Map.Entry<Entry, Entry> link : plan.hardLinks.entrySet()) {
            Files.createLink(link.getKey().path, link.getValue().path);
            progress.filesDone.incrementAndGet();
        }
        for (Entry e : plan.others) {
            applyMetadata(e, warnings, e.type == NodeType.FILE && permissions.forFile(e, false).length > 0);
        }
        for (int i = plan.dirs.size() - 1; i >= 0; i--) {
            applyMetadata(plan.dirs.get(i), warnings, false);
        }
        return new RestoreResult(plan.files.size() + plan.hardLinks.size(), plan.dirs.size(), bytes, directBytes,
                warnings);
    }

    /**
     * One entry to restore: where it goes and what of its node a restore needs. A restore holds
     * one per file until its end, so this keeps less than a {@link Node}: no ctime, owner names or
     * error, times as Instants, and the path shown in messages made from its directory's on demand.
     *
     * @param permissions the permission bits, with setuid, setgid and sticky ({@link FileMode#toPosixPermissions})
     */
    private record Entry(Path path, String dirPath, byte[] name, NodeType type, int permissions, Instant mtime,
                         Instant atime, long uid, long gid, List<ExtendedAttribute> xattrs, byte[] linkTarget,
                         long device, long size, List<Id> content) {
        static Entry of(Node n, Path path, String dirPath) {
            return new Entry(path, dirPath, n.name(), n.type(), FileMode.toPosixPermissions(n.mode()),
                    n.mtime().toInstant(), n.atime().toInstant(), n.uid(), n.gid(), n.extendedAttributes(),
                    n.linkTarget(), n.device(), n.size(), n.content());
        }

        /** The entry's path in the snapshot, for messages. */
        String snapshotPath() {
            return dirPath + "/" + new String(name, StandardCharsets.UTF_8);
        }
    }

    private static final class Plan {
        final List<Entry> dirs = new ArrayList<>();
        final List<Entry> files = new ArrayList<>();
        final List<Entry> others = new ArrayList<>();
        final Map<Entry, Entry> hardLinks = new LinkedHashMap<>();
        final Map<String, Entry> firstByInode = new HashMap<>();
    }

    /** Loads and decodes a tree on {@code loader}, so the planner can go on meanwhile. */
    private CompletableFuture<List<Node>> loadTree(Id treeId, ExecutorService loader) {
        return Futures.supplyAsync(() -> TreeCodec.decode(repo.loadBlob(BlobType.TREE, treeId), treeId.shortHex()),
                loader);
    }

    private void plan(Id treeId, CompletableFuture<List<Node>> tree, Path dir, String dirPath, boolean dirSelected,
                      Plan plan, Set<Id> ancestors, ExecutorService treeLoader) throws IOException {
        if (!ancestors.add(treeId)) {
            throw new UnsafeSnapshotException("tree " + treeId.shortHex() + " at " + (dirPath.isEmpty() ? "/" : dirPath)
                    + " contains itself; the snapshot is damaged");
        }
        List<Node> nodes = Futures.join(tree);
        // the subtrees load on other threads while this directory and the ones before them are planned
        Map<Id, CompletableFuture<List<Node>>> subtrees = new HashMap<>();
        for (Node n : nodes) {
            if (n.type() == NodeType.DIR && n.subtree() != null) {
                subtrees.computeIfAbsent(n.subtree(), id -> loadTree(id, treeLoader));
            }
        }
        Set<String> seen = new HashSet<>();
        for (Node n : nodes) {
            String name = checkName(n.name(), dirPath);
            if (!seen.add(new String(n.name(), StandardCharsets.ISO_8859_1))) {
                throw new UnsafeSnapshotException("directory " + (dirPath.isEmpty() ? "/" : dirPath)
                        + " in the snapshot lists \"" + name + "\" twice; refusing to restore");
            }
            String path = dirPath + "/" + name;
            PathFilter filter = options.filter();
            // without patterns everything is selected: no need to split the path
            List<String> components = filter.isEmpty() ? List.of() : List.of(path.substring(1).split("/", -1));
            boolean selected = filter.isEmpty() || filter.selected(components, dirSelected);
            Path target = Names.resolve(dir, n.name());
            Entry e = Entry.of(n, target, dirPath);
            if (n.type() == NodeType.DIR) {
                if (n.subtree() == null) {
                    throw new StowageException("directory " + path + " in the snapshot has no subtree; the snapshot is damaged");
                }
                if (filter.isEmpty() || filter.descend(components, selected)) {
                    int before = plan.dirs.size();
                    plan.dirs.add(e);
                    int contentBefore = plan.files.size() + plan.others.size() + plan.hardLinks.size();
                    plan(n.subtree(), subtrees.get(n.subtree()), target, path, selected, plan, ancestors, treeLoader);
                    boolean emptyResult = plan.files.size() + plan.others.size() + plan.hardLinks.size() == contentBefore
                            && plan.dirs.size() == before + 1;
                    if (!selected && emptyResult) {
                        plan.dirs.remove(before); // walked only to look for includes, found none
                    }
                }
                continue;
            }
            if (!selected) {
                continue;
            }
            if (n.type() == NodeType.FILE) {
                if (n.content() == null) {
                    throw new StowageException("file " + path + " in the snapshot has no content list; the snapshot is damaged");
                }
                // found now, before anything is written, rather than halfway through the restore
                for (Id blob : n.content()) {
                    if (!repo.index().has(BlobType.DATA, blob)) {
                        throw new StowageException("data blob " + blob.shortHex() + " of " + path
                                + " is not in the index; the repository is incomplete");
                    }
                }
                if (n.links() > 1 && n.inode() != 0) {
                    String key = n.deviceId() + ":" + n.inode();
                    Entry first = plan.firstByInode.get(key);
                    if (first != null) {
                        plan.hardLinks.put(e, first);
                        continue;
                    }
                    plan.firstByInode.put(key, e);
                }
                if (n.content().isEmpty()) {
                    plan.others.add(e);
                } else {
                    plan.files.add(e);
                }
            } else {
                plan.others.add(e);
            }
        }
        ancestors.remove(treeId);
    }

    private static String checkName(byte[] name, String dirPath) {
        String shown = new String(name, StandardCharsets.UTF_8);
        boolean dots = name.length <= 2 && name.length > 0 && name[0] == '.' && name[name.length - 1] == '.';
        boolean bad = name.length == 0 || dots;
        for (byte b : name) {
            bad |= b == '/' || b == 0;
        }
        if (bad) {
            throw new UnsafeSnapshotException("the snapshot holds an unsafe file name \"" + shown.replace("\0", "\\0")
                    + "\" in " + (dirPath.isEmpty() ? "/" : dirPath) + "; refusing to restore anything");
        }
        return shown;
    }

    private void createSpecial(Entry e, CreatePermissions permissions, List<String> warnings) throws IOException {
        switch (e.type) {
            case FILE -> {
                Files.newByteChannel(e.path, OPEN.createNew, permissions.forFile(e, false)).close();
                progress.filesDone.incrementAndGet();
            }
            case SYMLINK -> Files.createSymbolicLink(e.path, Names.fromBytes(e.linkTarget == null ? new byte[0] : e.linkTarget));
            case FIFO -> SpecialFiles.mkfifo(e.path);
            case DEV, CHARDEV -> {
                try {
                    SpecialFiles.mknod(e.path, e.type == NodeType.DEV, e.device);
                } catch (StowageException ex) {
                    failedSpecials.add(e.path);
                    warnings.add(ex.getMessage());
                }
            }
            default -> {
                failedSpecials.add(e.path);
                warnings.add("skipped " + e.snapshotPath() + ": cannot restore a " + e.type.jsonName());
            }
        }
    }

    /**
     * Which files are created with their permissions, so that they need no chmod after: those
     * whose permissions the target keeps whole ({@link CreationMask}), with no setuid, setgid or
     * sticky bit (a chown clears the first two), that leave their owner write access (a file of
     * several blobs is opened again for each) and are not written with direct I/O (which opens
     * files its own way). One per restore, used by the thread that runs it, not by the workers.
     */
    private static final class CreatePermissions {
        private static final FileAttribute<?>[] NONE = {};
        private final CreationMask mask;
        private final FileAttribute<?>[][] byPermissions = new FileAttribute<?>[01000][];

        CreatePermissions(CreationMask mask) {
            this.mask = mask;
        }

        /** The attributes to create {@code file} with; none if its mode is to be set after. */
        FileAttribute<?>[] forFile(Entry file, boolean direct) {
            int permissions = file.permissions;
            if (direct || (permissions & 0200) == 0 || !mask.keeps(permissions)) {
                return NONE;
            }
            FileAttribute<?>[] a = byPermissions[permissions];
            if (a == null) {
                a = new FileAttribute<?>[] {CreationMask.attribute(permissions)};
                byPermissions[permissions] = a;
            }
            return a;
        }
    }

    /**
     * Per file being written: how many blob writes are still outstanding, whether its whole blocks
     * go with direct I/O, and how to create it.
     */
    private static final class FileState {
        final Entry entry;
        final AtomicInteger remaining;
        final boolean direct;
        final FileAttribute<?>[] createWith;

        FileState(Entry entry, boolean direct, FileAttribute<?>[] createWith) {
            this.entry = entry;
            this.remaining = new AtomicInteger(entry.content.size());
            this.direct = direct;
            this.createWith = createWith;
        }
    }

    private record Target(FileState file, long offset) {
    }

    /** Writes every file's content; returns how many bytes went with direct I/O. */
    private long writeContent(Plan plan, Path root, CreatePermissions permissions, List<String> warnings)
            throws IOException {
        DirectWriter directWriter = directWriter(plan, root);
        // pack -> blob -> every (file, offset) that needs it
        Map<Id, Map<Id, List<Target>>> byPack = new HashMap<>();
        Map<Id, BlobLocation> locations = new HashMap<>();
        List<FileState> states = new ArrayList<>(plan.files.size());
        for (Entry f : plan.files) {
            boolean direct = directWriter != null && f.size >= options.directIoMinSize();
            FileState state = new FileState(f, direct, permissions.forFile(f, direct));
            states.add(state);
            long offset = 0;
            for (Id blob : f.content) {
                // every blob was found in the index while planning
                BlobLocation loc = locations.computeIfAbsent(blob, b -> repo.index().lookup(BlobType.DATA, b));
                byPack.computeIfAbsent(loc.packId(), p -> new LinkedHashMap<>())
                        .computeIfAbsent(blob, b -> new ArrayList<>()).add(new Target(state, offset));
                offset += loc.blob().plaintextLength();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "restore-worker");
            t.setDaemon(true);
            return t;
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Map.Entry<Id, Map<Id, List<Target>>> pack : byPack.entrySet()) {
                jobs.add(pool.submit(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        restorePack(pack.getKey(), pack.getValue(), locations, directWriter, warnings);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (Future<?> j : jobs) {
                try {
                    j.get();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Throwable t = failure.get();
        if (t != null) {
            for (FileState s : states) {
                if (s.remaining.get() > 0) {
                    Files.deleteIfExists(s.entry.path);
                }
            }
            if (t instanceof IOException io) {
                throw io;
            }
            throw t instanceof StowageException se ? se : new StowageException("restore failed: " + t.getMessage(), t);
        }
        return directWriter == null ? 0 : directWriter.bytes();
    }

    /** A direct writer if some file is large enough for direct I/O and the file system may take it. */
    private DirectWriter directWriter(Plan plan, Path root) {
        if (plan.files.stream().noneMatch(f -> f.size >= options.directIoMinSize())) {
            return null;
        }
        DirectIo io = DirectIo.in(root);
        return io == null ? null : new DirectWriter(io);
    }

    private void restorePack(Id packId, Map<Id, List<Target>> blobs, Map<Id, BlobLocation> locations,
                             DirectWriter direct, List<String> warnings) throws IOException {
        List<BlobLocation> sorted = new ArrayList<>(blobs.size());
        for (Id blob : blobs.keySet()) {
            sorted.add(locations.get(blob));
        }
        sorted.sort(java.util.Comparator.comparingLong(l -> l.blob().offset()));
        Handle handle = new Handle(FileType.PACK, packId.hex());
        // read the pack in runs of nearby blobs, so memory stays bounded whatever the pack size
        int i = 0;
        while (i < sorted.size()) {
            long start = sorted.get(i).blob().offset();
            long end = start + sorted.get(i).blob().length();
            int j = i + 1;
            while (j < sorted.size()) {
                PackedBlobView next = new PackedBlobView(sorted.get(j));
                if (next.offset() - end > MAX_GAP || next.end() - start > MAX_RUN) {
                    break;
                }
                end = Math.max(end, next.end());
                j++;
            }
            byte[] run = buffers.take((int) (end - start));
            try {
                try {
                    repo.backend().load(handle, start, run, (int) (end - start));
                } catch (java.io.EOFException | dev.stowage.engine.backend.NotFoundException e) {
                    throw new StowageException("pack " + handle.path() + " is missing or truncated: " + e.getMessage(), e);
                }
                for (int k = i; k < j; k++) {
                    BlobLocation loc = sorted.get(k);
                    List<Target> targets = blobs.get(loc.blob().id());
                    repo.openBlob(run, (int) (loc.blob().offset() - start), loc, handle.path(), buffers,
                            (data, off, len) -> writeBlob(data, off, len, targets, direct, warnings));
                }
            } finally {
                buffers.give(run);
            }
            i = j;
        }
    }

    private record PackedBlobView(long offset, long end) {
        PackedBlobView(BlobLocation loc) {
            this(loc.blob().offset(), loc.blob().offset() + loc.blob().length());
        }
    }

    private void writeBlob(byte[] plain, int from, int length, List<Target> targets, DirectWriter direct,
                           List<String> warnings) throws IOException {
        for (Target t : targets) {
            Path path = t.file.entry.path;
            long start = t.offset;
            long end = start + length;
            // the whole blocks inside this blob go direct for large files, the rest through the page cache
            long directFrom = start;
            long directTo = start;
            if (t.file.direct) {
                long a = direct.alignUp(start);
                long b = direct.alignDown(end);
                if (b > a && direct.write(path, plain, from + (int) (a - start), (int) (b - a), a)) {
                    directFrom = a;
                    directTo = b;
                }
            }
            if (directTo == directFrom || directFrom > start || directTo < end) { // also creates the file
                try (FileChannel ch = FileChannel.open(path, OPEN.createOrWrite, t.file.createWith)) {
                    writeFully(ch, plain, from, (int) (directFrom - start), start);
                    writeFully(ch, plain, from + (int) (directTo - start), (int) (end - directTo), directTo);
                }
            }
            progress.bytesDone.addAndGet(length);
            if (t.file.remaining.decrementAndGet() == 0) {
                applyMetadata(t.file.entry, warnings, t.file.createWith.length > 0);
                progress.filesDone.incrementAndGet();
            }
        }
    }

    private static void writeFully(FileChannel ch, byte[] src, int from, int length, long position) throws IOException {
        // bounded writes: the JDK stages heap buffers in a direct buffer of the same size
        for (int off = 0; off < length; ) {
            off += ch.write(ByteBuffer.wrap(src, from + off, Math.min(1 << 20, length - off)), position + off);
        }
    }

    /** Sets owner, extended attributes, mode (unless {@code modeSet} at creation) and times. */
    private void applyMetadata(Entry e, List<String> warnings, boolean modeSet) throws IOException {
        Path p = e.path;
        if (!failedSpecials.isEmpty() && failedSpecials.contains(p)) {
            return; // e.g. a device node we were not allowed to create
        }
        NodeType type = e.type;
        boolean special = type == NodeType.FIFO || type == NodeType.DEV || type == NodeType.CHARDEV;
        // Every entry is one this restore created in an empty target below directories it also
        // created, so only a symlink's own path can lead elsewhere; other entries are changed by
        // path, which saves the open the JDK's no-follow variants need.
        LinkOption[] own = type == NodeType.SYMLINK ? NOFOLLOW : FOLLOW;
        if (options.restoreOwners() && (e.uid != processUid || e.gid != processGid)) {
            try {
                Files.setAttribute(p, "unix:uid", (int) e.uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", (int) e.gid, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException ex) {
                warnings.add("cannot set owner of " + e.snapshotPath() + ": " + ex.getMessage());
            }
        }
        if (type == NodeType.FILE || type == NodeType.DIR) {
            try {
                Xattrs.write(p, e.xattrs);
            } catch (IOException ex) {
                warnings.add("cannot set extended attributes of " + e.snapshotPath() + ": " + ex.getMessage());
            }
        }
        if (type != NodeType.SYMLINK && !modeSet) {
            Files.setAttribute(p, "unix:mode", e.permissions, own);
        }
        // the JDK opens a file to set its times (blocking on a fifo) and sets symlink times with
        // lutimes, which drops nanoseconds
        boolean nanos = e.mtime.getNano() % 1000 != 0 || e.atime.getNano() % 1000 != 0;
        boolean jdkCannot = !jdkCanSet(e.mtime) || !jdkCanSet(e.atime);
        if (special || jdkCannot || (type == NodeType.SYMLINK && nanos)) {
            SpecialFiles.setTimes(p, e.mtime, e.atime);
        } else {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, own)
                    .setTimes(FileTime.from(e.mtime), FileTime.from(e.atime), null);
        }
    }

    /**
     * Whether the JDK sets this time correctly. Before 1970 it passes a fraction of a second as a
     * negative tv_nsec, which the kernel rejects, and then silently sets 1970-01-01 instead.
     */
    private static boolean jdkCanSet(Instant t) {
        return t.getEpochSecond() >= 0 || t.getNano() == 0;
    }

    /** Open options, built once. */
    private static final class OpenOptionsHolder {
        final Set<java.nio.file.OpenOption> createNew = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        final Set<java.nio.file.OpenOption> createOrWrite = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }
}
