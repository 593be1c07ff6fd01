package dev.stowage.engine.walker;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;

/** Visits every node below a tree, depth first, in stored (byte) order. */
public final class TreeWalker {
    private final Repository repo;

    public TreeWalker(Repository repo) {
        this.repo = repo;
    }

    /** Receives each node with its path in the snapshot (starting with {@code /}). */
    @FunctionalInterface
    public interface Visitor {
        void visit(String path, Node node) throws IOException;
    }

    public void walk(Id tree, Visitor visitor) throws IOException {
        walk(tree, "", visitor);
    }

    private void walk(Id tree, String prefix, Visitor visitor) throws IOException {
        for (Node n : TreeCodec.decode(repo.loadBlob(BlobType.TREE, tree), tree.shortHex())) {
            String path = prefix + "/" + n.displayName();
            visitor.visit(path, n);
            if (n.type() == NodeType.DIR && n.subtree() != null) {
                walk(n.subtree(), path, visitor);
            }
        }
    }
}
