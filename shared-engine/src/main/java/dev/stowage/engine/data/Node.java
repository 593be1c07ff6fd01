package dev.stowage.engine.data;

import dev.stowage.engine.Id;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One entry of a tree, with every field restic stores. Names and symlink targets are raw bytes
 * because file systems allow names that are not valid UTF-8.
 *
 * @param mode     Go FileMode bits ({@link FileMode})
 * @param content  data blob IDs of a file in order ({@code []} for an empty file); null otherwise
 * @param subtree  tree ID of a directory; null otherwise
 * @param deviceId st_dev of the file system holding the entry
 * @param device   st_rdev of a device node
 */
public record Node(byte[] name, NodeType type, long mode, OffsetDateTime mtime, OffsetDateTime atime,
                   OffsetDateTime ctime, long uid, long gid, String user, String group, long inode,
                   long deviceId, long size, long links, byte[] linkTarget,
                   List<ExtendedAttribute> extendedAttributes, long device, List<Id> content, Id subtree,
                   String error) {

    public Node {
        extendedAttributes = extendedAttributes == null ? List.of() : List.copyOf(extendedAttributes);
        content = content == null ? null : List.copyOf(content);
        user = user == null ? "" : user;
        group = group == null ? "" : group;
        error = error == null ? "" : error;
    }

    /** The name for messages (invalid UTF-8 shown as replacement characters). */
    public String displayName() {
        return new String(name, StandardCharsets.UTF_8);
    }

    public Node withContent(List<Id> newContent, long newSize) {
        return new Node(name, type, mode, mtime, atime, ctime, uid, gid, user, group, inode, deviceId, newSize,
                links, linkTarget, extendedAttributes, device, newContent, subtree, error);
    }

    public Node withSubtree(Id tree) {
        return new Node(name, type, mode, mtime, atime, ctime, uid, gid, user, group, inode, deviceId, size,
                links, linkTarget, extendedAttributes, device, content, tree, error);
    }

}
