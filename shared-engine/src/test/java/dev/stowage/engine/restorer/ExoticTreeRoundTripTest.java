package dev.stowage.engine.restorer;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.repository.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A tree restic 0.14 wrote for a directory full of awkward names and every node type
 * (data/restic014/tree-b28d08d3.json): restoring it and backing the result up again must give
 * restic's tree back, apart from what a new file system necessarily changes (inode, device,
 * ctime). This proves names survive as raw bytes through restore and backup, and that our nodes
 * for hard links, fifos, devices, setuid files, sticky directories, symlinks and xattrs are restic's.
 */
class ExoticTreeRoundTripTest {
    private static final OffsetDateTime FIXED = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ExoticTreeRoundTripTest.class.getResourceAsStream("/dev/stowage/engine/data/restic014/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    /** The node without what differs between two file systems holding the same files. */
    private static Node normalised(Node n) {
        return new Node(n.name(), n.type(), n.mode(), n.mtime(), n.atime(), FIXED, n.uid(), n.gid(), n.user(), n.group(),
                0, 0, n.size(), n.links(), n.linkTarget(), n.extendedAttributes(), n.device(), n.content(), n.subtree(),
                n.error());
    }

    private static String normalisedTree(List<Node> nodes) {
        return new String(TreeCodec.encode(nodes.stream().map(ExoticTreeRoundTripTest::normalised).toList()),
                StandardCharsets.UTF_8);
    }

    private static List<Node> descend(Repository repo, Id tree, Path absolute) throws IOException {
        for (Path component : absolute) {
            byte[] name = component.toString().getBytes(StandardCharsets.UTF_8);
            Node n = TreeCodec.decode(repo.loadBlob(BlobType.TREE, tree), tree.shortHex()).stream()
                    .filter(x -> Arrays.equals(x.name(), name)).findFirst().orElseThrow();
            tree = n.subtree();
        }
        return TreeCodec.decode(repo.loadBlob(BlobType.TREE, tree), tree.shortHex());
    }

    @Test
    void restoringResticsTreeAndBackingItUpGivesResticsTreeBack() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "device nodes and owners need root");
        byte[] golden = resource("tree-b28d08d3.json");
        try (Repository repo = TestRepo.create(tmp.resolve("repo"))) {
            // the blobs the tree refers to: hard1/hard2 hold "hi\n", d is the empty tree
            TestRepo.saveBlob(repo, BlobType.DATA, "hi\n".getBytes(StandardCharsets.UTF_8));
            TestRepo.saveBlob(repo, BlobType.TREE, TreeCodec.encode(List.of()));
            Id root = TestRepo.saveBlob(repo, BlobType.TREE, golden);
            assertEquals("b28d08d3c19a2c6e6b0000fd2d7e90a3592fabd503f78aab56d965ff92885e6c", root.hex());
            Snapshot s = TestRepo.snapshot(repo, root);

            Path target = tmp.resolve("restored");
            RestoreResult r = TestRepo.restore(repo, s, target);
            assertEquals(List.of(), r.warnings());

            Snapshot again = TestRepo.backup(repo, target);
            List<Node> ours = descend(repo, again.tree(), target);
            List<Node> theirs = TreeCodec.decode(golden, "b28d08d3");
            assertEquals(normalisedTree(theirs), normalisedTree(ours));
            // and the node types really are what restic recorded
            assertEquals(theirs.stream().map(Node::type).toList(), ours.stream().map(Node::type).toList());
            assertEquals(NodeType.CHARDEV, ours.stream().filter(n -> Arrays.equals(n.name(), "chr".getBytes(StandardCharsets.UTF_8)))
                    .findFirst().orElseThrow().type());
        }
    }
}
