package dev.stowage.engine.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/** What {@code lstat} reports about a file. */
public record FileInfo(int mode, long inode, long device, long rdev, long links, int uid, int gid, long size,
                       Instant mtime, Instant atime, Instant ctime) {
    private static final String ATTRIBUTES = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,lastAccessTime,ctime";

    /** {@code lstat(path)}: symbolic links are not followed. */
    public static FileInfo lstat(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return new FileInfo((Integer) a.get("mode"), (Long) a.get("ino"), (Long) a.get("dev"), (Long) a.get("rdev"),
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                ((FileTime) a.get("lastModifiedTime")).toInstant(), ((FileTime) a.get("lastAccessTime")).toInstant(),
                ((FileTime) a.get("ctime")).toInstant());
    }
}
