package dev.stowage.engine.restorer;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Futures;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotNotFoundException;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Writes one file of a snapshot to a stream (restic's {@code dump}), loading blobs ahead of the writer. */
public final class Dumper {
    private static final int READ_AHEAD = 4;

    private final Repository repo;

    public Dumper(Repository repo) {
        this.repo = repo;
    }

    /** The node at {@code path} (components separated by {@code /}) in the snapshot. */
    public Node find(Snapshot snapshot, String path) throws IOException {
        String[] parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty() && !s.equals(".")).toArray(String[]::new);
        if (parts.length == 0) {
            throw new StowageException("dump needs the path of a file in the snapshot, e.g. /db.sql");
        }
        Id tree = snapshot.tree();
        Node found = null;
        for (int i = 0; i < parts.length; i++) {
            if (tree == null) {
                throw new SnapshotNotFoundException("path " + path + " not found in snapshot " + snapshot.id().shortHex());
            }
            byte[] want = parts[i].getBytes(StandardCharsets.UTF_8);
            List<Node> nodes = TreeCodec.decode(repo.loadBlob(BlobType.TREE, tree), tree.shortHex());
            found = nodes.stream().filter(n -> Arrays.equals(n.name(), want)).findFirst()
                    .orElseThrow(() -> new SnapshotNotFoundException("path " + path + " not found in snapshot "
                            + snapshot.id().shortHex()));
            tree = found.type() == NodeType.DIR ? found.subtree() : null;
        }
        return found;
    }

    /** Writes the content of the file at {@code path}; directories are refused. */
    public long dump(Snapshot snapshot, String path, OutputStream out) throws IOException {
        Node node = find(snapshot, path);
        if (node.type() != NodeType.FILE) {
            throw new StowageException(path + " is a " + node.type().jsonName() + ", not a file; dump writes single files");
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dump-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<CompletableFuture<byte[]>> ahead = new ArrayDeque<>();
            List<Id> content = node.content();
            int next = 0;
            long written = 0;
            while (next < content.size() || !ahead.isEmpty()) {
                while (next < content.size() && ahead.size() < READ_AHEAD) {
                    Id blob = content.get(next++);
                    ahead.add(Futures.supplyAsync(() -> repo.loadBlob(BlobType.DATA, blob), pool));
                }
                byte[] data = Futures.join(ahead.poll());
                out.write(data);
                written += data.length;
            }
            out.flush();
            return written;
        } finally {
            pool.shutdownNow();
        }
    }
}
