package dev.stowage.engine.restorer;

import static dev.stowage.engine.restorer.TestRepo.T;
import static dev.stowage.engine.restorer.TestRepo.dir;
import static dev.stowage.engine.restorer.TestRepo.file;
import static dev.stowage.engine.restorer.TestRepo.tree;
import static dev.stowage.engine.restorer.TestRepo.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stowage.engine.Id;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restore cannot do is reported per entry, named by its path in the snapshot. */
class RestoreWarningsTest {
    @TempDir
    Path tmp;

    @Test
    void aSocketIsSkippedWithAWarningNamingItsPathInTheSnapshot() throws Exception {
        try (Repository repo = TestRepo.create(tmp.resolve("repo"))) {
            Node socket = new Node(utf8("app.sock"), NodeType.SOCKET, 0755, T, T, T, 0, 0, "", "", 0, 0, 0, 0, null,
                    List.of(), 0, null, null, "");
            Id run = tree(repo, socket, file(utf8("ok.txt"), utf8("fine\n"), repo));
            Id root = tree(repo, dir(utf8("srv"), tree(repo, dir(utf8("run"), run))));
            Path target = tmp.resolve("target");

            RestoreResult r = TestRepo.restore(repo, TestRepo.snapshot(repo, root), target);

            assertEquals(List.of("skipped /srv/run/app.sock: cannot restore a socket"), r.warnings());
            assertEquals("fine\n", Files.readString(target.resolve("srv/run/ok.txt")));
            assertEquals(List.of("srv", "srv/run", "srv/run/ok.txt"), TestRepo.contents(target));
        }
    }
}
