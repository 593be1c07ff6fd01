package dev.stowage.engine.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User and group names of numeric IDs. The JDK only resolves names through a file's owner, so
 * the first file seen with an ID is asked and the answer cached. Thread-safe.
 */
public final class Owners {
    private final Map<Integer, String> users = new ConcurrentHashMap<>();
    private final Map<Integer, String> groups = new ConcurrentHashMap<>();

    public String userName(Path file, int uid) throws IOException {
        String name = users.get(uid);
        if (name == null) {
            UserPrincipal p = (UserPrincipal) Files.getAttribute(file, "unix:owner", LinkOption.NOFOLLOW_LINKS);
            name = numeric(p.getName(), uid);
            users.put(uid, name);
        }
        return name;
    }

    public String groupName(Path file, int gid) throws IOException {
        String name = groups.get(gid);
        if (name == null) {
            GroupPrincipal p = (GroupPrincipal) Files.getAttribute(file, "unix:group", LinkOption.NOFOLLOW_LINKS);
            name = numeric(p.getName(), gid);
            groups.put(gid, name);
        }
        return name;
    }

    // the JDK names unknown IDs by their number; restic leaves such names empty
    private static String numeric(String name, int id) {
        return name.equals(Integer.toString(id)) ? "" : name;
    }
}
