package dev.stowage.engine.data;

/**
 * Go's {@code os.FileMode} bits as restic stores them in {@code mode}, and their conversion
 * to and from POSIX {@code st_mode}.
 */
public final class FileMode {
    public static final long DIR = 1L << 31;
    public static final long SYMLINK = 1L << 27;
    public static final long DEVICE = 1L << 26;
    public static final long NAMED_PIPE = 1L << 25;
    public static final long SOCKET = 1L << 24;
    public static final long SETUID = 1L << 23;
    public static final long SETGID = 1L << 22;
    public static final long CHAR_DEVICE = 1L << 21;
    public static final long STICKY = 1L << 20;

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    private FileMode() {
    }

    /** Go's FileMode for a POSIX {@code st_mode}, masked as restic masks it. */
    public static long fromPosix(int stMode) {
        long m = stMode & 0777;
        switch (stMode & S_IFMT) {
            case S_IFDIR -> m |= DIR;
            case S_IFLNK -> m |= SYMLINK;
            case S_IFBLK -> m |= DEVICE;
            case S_IFCHR -> m |= DEVICE | CHAR_DEVICE;
            case S_IFIFO -> m |= NAMED_PIPE;
            case S_IFSOCK -> m |= SOCKET;
            default -> {
            }
        }
        if ((stMode & 04000) != 0) {
            m |= SETUID;
        }
        if ((stMode & 02000) != 0) {
            m |= SETGID;
        }
        if ((stMode & 01000) != 0) {
            m |= STICKY;
        }
        return m;
    }

    /** Permission bits plus setuid, setgid and sticky for {@code chmod}. */
    public static int toPosixPermissions(long goMode) {
        int m = (int) (goMode & 0777);
        if ((goMode & SETUID) != 0) {
            m |= 04000;
        }
        if ((goMode & SETGID) != 0) {
            m |= 02000;
        }
        if ((goMode & STICKY) != 0) {
            m |= 01000;
        }
        return m;
    }

    /** The node type a POSIX {@code st_mode} describes. */
    public static NodeType typeOf(int stMode) {
        return switch (stMode & S_IFMT) {
            case S_IFDIR -> NodeType.DIR;
            case S_IFLNK -> NodeType.SYMLINK;
            case S_IFBLK -> NodeType.DEV;
            case S_IFCHR -> NodeType.CHARDEV;
            case S_IFIFO -> NodeType.FIFO;
            case S_IFSOCK -> NodeType.SOCKET;
            case 0100000 -> NodeType.FILE;
            default -> NodeType.IRREGULAR;
        };
    }
}
