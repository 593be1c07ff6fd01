package dev.stowage.engine.backend;

import dev.stowage.engine.Id;
import dev.stowage.engine.fs.DirectIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A repository in a local directory, in restic's default layout and with restic's file modes.
 * Packs are written, and large ranges of them read, with direct I/O ({@link DirectIo}) where the
 * file system allows it: pack data passes through once, and through the page cache it would fill
 * memory with pages nobody reads again.
 */
public final class LocalBackend implements Backend {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("r--------");

    /**
     * Largest single read or write. The JDK copies heap buffers through a per-thread cache of
     * direct buffers as large as the largest I/O, so big I/Os would pin that much native memory.
     */
    private static final int IO_SLICE = 1 << 20;
    /** Reads at least this long go past the page cache: pack runs of a restore or check, not headers or trees. */
    private static final int DIRECT_READ_MIN = 256 << 10;

    /**
     * Names of temporary files: ours for pending files ({@code tmp-<random>}) and, like restic's,
     * {@code <final name>-tmp-<random>} for saves. Nothing else is ever taken for debris.
     */
    private static final Pattern TEMP_NAME = Pattern.compile("(?:tmp|(?:[0-9a-f]{64}|config)-tmp)-[0-9A-Za-z]+");

    private final Path root;
    private final SecureRandom random = new SecureRandom();
    private final boolean useDirectIo;
    /** Found on first use: the directory may not exist before {@link #create()}. */
    private DirectIo directIo;
    private boolean directIoLooked;
    private volatile boolean directReadsRefused;

    /** A repository at {@code root} that uses direct I/O where the file system allows it. */
    public LocalBackend(Path root) {
        this(root, true);
    }

    /** A repository at {@code root}; with {@code useDirectIo} false, all I/O goes through the page cache. */
    public LocalBackend(Path root, boolean useDirectIo) {
        this.root = root.toAbsolutePath().normalize();
        this.useDirectIo = useDirectIo;
    }

    /** A repository at {@code root} with the given direct I/O (tests: one the file system refuses). */
    LocalBackend(Path root, DirectIo directIo) {
        this(root, true);
        this.directIo = directIo;
        this.directIoLooked = true;
    }

    /** Whether packs go past the page cache here (for tests). */
    boolean usesDirectIo() {
        return directIo() != null && !directReadsRefused;
    }

    private synchronized DirectIo directIo() {
        if (!directIoLooked && useDirectIo && Files.isDirectory(root)) {
            directIo = DirectIo.in(root);
            directIoLooked = true;
        }
        return directIo;
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    /**
     * A rename is seen by the next directory listing on this machine. (Clients of one NFS export
     * on several machines may list late for as long as their attribute cache lasts, 30 s or more
     * by default, which restic's 200 ms pause would not cover either.)
     */
    @Override
    public boolean listsNewFilesAtOnce() {
        return true;
    }

    @Override
    public void create() throws IOException {
        if (Files.exists(root.resolve("config"))) {
            throw new FileAlreadyExistsException(root + "/config", null, "repository already exists");
        }
        createDir(root);
        for (FileType t : FileType.values()) {
            if (t != FileType.CONFIG) {
                createDir(root.resolve(t.directory()));
            }
        }
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 256; i++) {
            createDir(root.resolve("data").resolve(hex.toHexDigits((byte) i)));
        }
    }

    private static void createDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
    }

    @Override
    public void save(Handle handle, List<byte[]> parts) throws IOException {
        Path target = root.resolve(handle.path());
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            createDir(dir);
        }
        // restic skips names that are not IDs when listing, so a crash leaves only ignorable debris
        Path tmp = dir.resolve(target.getFileName() + "-tmp-" + Long.toUnsignedString(random.nextLong(), 36));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (byte[] part : parts) {
                for (int off = 0; off < part.length; ) {
                    off += ch.write(ByteBuffer.wrap(part, off, Math.min(IO_SLICE, part.length - off)));
                }
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.setPosixFilePermissions(tmp, FILE_MODE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public PendingFile create(FileType type) throws IOException {
        Path dir = type == FileType.PACK
                ? root.resolve("data").resolve(HexFormat.of().toHexDigits((byte) random.nextInt()))
                : root.resolve(type.directory());
        if (!Files.isDirectory(dir)) {
            createDir(dir);
        }
        // not an ID, so restic and we skip it when listing; a crash leaves only ignorable debris
        Path spool = dir.resolve("tmp-" + Long.toUnsignedString(random.nextLong(), 36));
        return new LocalPendingFile(new SpoolFile(spool, type == FileType.PACK ? directIo() : null));
    }

    private final class LocalPendingFile implements PendingFile {
        private final SpoolFile spool;
        private boolean committed;

        LocalPendingFile(SpoolFile spool) {
            this.spool = spool;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            spool.write(b, off, len);
        }

        @Override
        public long size() {
            return spool.size();
        }

        @Override
        public void commit(Handle handle) throws IOException {
            spool.finish(true);
            Path target = root.resolve(handle.path());
            Path dir = target.getParent();
            if (!Files.isDirectory(dir)) {
                createDir(dir);
            }
            Files.setPosixFilePermissions(spool.path(), FILE_MODE);
            Files.move(spool.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                spool.discard();
            }
        }
    }

    @Override
    public byte[] load(Handle handle) throws IOException {
        long size = size(handle);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(handle.path() + " is too large to load at once");
        }
        return load(handle, 0, (int) size);
    }

    @Override
    public byte[] load(Handle handle, long offset, int length) throws IOException {
        byte[] out = new byte[length];
        load(handle, offset, out, length);
        return out;
    }

    @Override
    public void load(Handle handle, long offset, byte[] out, int length) throws IOException {
        Path file = root.resolve(handle.path());
        DirectIo direct = length >= DIRECT_READ_MIN && handle.type() == FileType.PACK && !directReadsRefused
                ? directIo() : null;
        try {
            if (direct == null || !loadDirect(direct, file, offset, out, length)) {
                loadThroughCache(file, handle, offset, out, length);
            }
        } catch (NoSuchFileException e) {
            throw notFound(handle);
        }
    }

    private static void loadThroughCache(Path file, Handle handle, long offset, byte[] out, int length)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = offset;
            for (int off = 0; off < length; ) {
                int n = ch.read(ByteBuffer.wrap(out, off, Math.min(IO_SLICE, length - off)), pos);
                if (n < 0) {
                    throw handle.shortRead(offset, length, ch.size());
                }
                pos += n;
                off += n;
            }
        }
    }

    /**
     * Reads the aligned blocks around the range with direct I/O and copies the range out. Returns
     * false if that cannot be done (direct I/O refused, or the file ends early: the page cache path
     * then reports it).
     */
    private boolean loadDirect(DirectIo direct, Path file, long offset, byte[] out, int length) throws IOException {
        long end = offset + length;
        ByteBuffer buf = direct.take();
        try (FileChannel ch = direct.openForRead(file)) {
            for (long pos = direct.alignDown(offset); pos < end; ) {
                buf.clear().limit((int) Math.min(DirectIo.BUFFER, direct.alignUp(end) - pos));
                int n = ch.read(buf, pos);
                long from = Math.max(pos, offset);
                long to = Math.min(pos + Math.max(n, 0), end);
                if (to > from) {
                    buf.get((int) (from - pos), out, (int) (from - offset), (int) (to - from));
                }
                if (n < buf.limit() && to < end) {
                    return false; // short: the end of the file
                }
                pos += n;
            }
            return true;
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            directReadsRefused = true; // EINVAL: this file system does not take direct reads
            return false;
        } finally {
            direct.give(buf);
        }
    }

    @Override
    public long size(Handle handle) throws IOException {
        try {
            return Files.size(root.resolve(handle.path()));
        } catch (NoSuchFileException e) {
            throw notFound(handle);
        }
    }

    @Override
    public boolean exists(Handle handle) {
        return Files.exists(root.resolve(handle.path()));
    }

    @Override
    public List<String> list(FileType type) throws IOException {
        List<String> names = new ArrayList<>();
        Path dir = root.resolve(type.directory());
        if (type == FileType.CONFIG || !Files.isDirectory(dir)) {
            return names;
        }
        if (type == FileType.PACK) {
            try (DirectoryStream<Path> subdirs = Files.newDirectoryStream(dir)) {
                for (Path sub : subdirs) {
                    if (Files.isDirectory(sub)) {
                        addIds(sub, names);
                    }
                }
            }
        } else {
            addIds(dir, names);
        }
        return names;
    }

    private static void addIds(Path dir, List<String> names) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (Id.isValid(name)) {
                    names.add(name);
                }
            }
        }
    }

    @Override
    public void remove(Handle handle) throws IOException {
        try {
            Files.delete(root.resolve(handle.path()));
        } catch (NoSuchFileException e) {
            throw notFound(handle);
        }
    }

    @Override
    public List<TempFile> listTemporary() throws IOException {
        List<TempFile> found = new ArrayList<>();
        addTemporary(root, found);
        for (FileType t : FileType.values()) {
            Path dir = root.resolve(t.directory());
            if (t == FileType.CONFIG || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            addTemporary(dir, found);
            if (t == FileType.PACK) {
                try (DirectoryStream<Path> subdirs = Files.newDirectoryStream(dir)) {
                    for (Path sub : subdirs) {
                        if (Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                            addTemporary(sub, found);
                        }
                    }
                }
            }
        }
        found.sort(java.util.Comparator.comparing(TempFile::path));
        return found;
    }

    private void addTemporary(Path dir, List<TempFile> found) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!TEMP_NAME.matcher(f.getFileName().toString()).matches()) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // committed or discarded meanwhile
                }
                if (a.isRegularFile()) {
                    found.add(new TempFile(root.relativize(f).toString(), a.size(), a.lastModifiedTime().toInstant()));
                }
            }
        }
    }

    @Override
    public void removeTemporary(TempFile file) throws IOException {
        Path p = root.resolve(file.path()).normalize();
        // only ever a temporary name inside the repository, whatever the caller passes
        if (!p.startsWith(root) || !TEMP_NAME.matcher(p.getFileName().toString()).matches()) {
            throw new IOException(file.path() + " is not a temporary file of repository " + root);
        }
        Files.deleteIfExists(p);
    }

    private NotFoundException notFound(Handle handle) {
        return new NotFoundException(handle.path() + " not found in repository " + root);
    }

    @Override
    public void close() {
        // nothing held open between calls
    }
}
