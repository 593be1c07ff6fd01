package dev.stowage.cli;

import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.json.JsonWriter;
import dev.stowage.engine.walker.TreeWalker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", description = "List the files of a snapshot.")
final class LsCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Mixin
    FilterOptions filterOptions;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "snapshot ID (prefix) or 'latest'")
    String snapshotId;

    @Option(names = {"-l", "--long"}, description = "show permissions, owner, size and time")
    boolean longFormat;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        // like restic, ls reads without locking
        try (RepositoryAccess access = RepositoryAccess.open(g, false, true)) {
            Snapshot s = Snapshots.find(access.repo, snapshotId, filterOptions.filter());
            if (g.json) {
                // restic prints the whole snapshot (tags, uid, excludes, ...) as snapshots --json does
                JsonWriter w = new JsonWriter();
                w.beginObject();
                s.writeFields(w, true);
                w.name("struct_type").value("snapshot").endObject().raw((byte) '\n');
                root.out.writeBytes(w.toByteArray());
            } else {
                root.out.println("snapshot " + s.id().shortHex() + " of " + s.paths() + " at " + s.time() + ":");
            }
            new TreeWalker(access.repo).walk(s.tree(), (path, n) -> {
                if (g.json) {
                    root.out.writeBytes(nodeJson(path, n));
                } else if (longFormat) {
                    root.out.printf("%s %5d %5d %12d %s %s%n", permissions(n), n.uid(), n.gid(), n.size(),
                            GoTime.format(n.mtime()), path);
                } else {
                    root.out.println(path);
                }
            });
        }
        return 0;
    }

    private static byte[] nodeJson(String path, Node n) {
        JsonWriter w = new JsonWriter();
        w.beginObject().name("name").value(n.name()).name("type").value(n.type().jsonName()).name("path").value(path)
                .name("uid").unsignedValue(n.uid()).name("gid").unsignedValue(n.gid());
        if (n.type() == NodeType.FILE) {
            w.name("size").unsignedValue(n.size());
        }
        w.name("mode").unsignedValue(n.mode()).name("permissions").value(permissions(n))
                .name("mtime").value(GoTime.format(n.mtime())).name("atime").value(GoTime.format(n.atime()))
                .name("ctime").value(GoTime.format(n.ctime())).name("struct_type").value("node").endObject()
                .raw((byte) '\n');
        return w.toByteArray();
    }

    /**
     * Go's FileMode.String() of the node's mode, which restic prints as {@code permissions}: one
     * letter per type or special bit that is set (e.g. {@code dt} for a sticky directory,
     * {@code Dc} for a character device, {@code u} for setuid), then rwx.
     */
    private static String permissions(Node n) {
        String letters = "dalTLDpSugct?";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < letters.length(); i++) {
            if ((n.mode() & (1L << (31 - i))) != 0) {
                sb.append(letters.charAt(i));
            }
        }
        if (sb.length() == 0) {
            sb.append('-');
        }
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((n.mode() & (1L << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return sb.toString();
    }
}
