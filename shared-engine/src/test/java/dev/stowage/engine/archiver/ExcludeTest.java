package dev.stowage.engine.archiver;

import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;
import dev.stowage.engine.walker.TreeWalker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Backup excludes follow restic: patterns are matched against the absolute path of each file,
 * whether the backup target was given as an absolute or a relative path.
 */
class ExcludeTest {
    private static final Identity WHO = new Identity("tester", "testhost", ProcessHandle.current().pid());

    @TempDir
    Path tmp;
    private Repository repo;
    /** Relative to the working directory, so that it can be given as a relative target. */
    private Path relative;

    @BeforeEach
    void setUp() throws Exception {
        repo = Repository.init(new LocalBackend(tmp.resolve("repo")), "pw", 2, new ScryptParams(1024, 8, 1), WHO,
                RepositoryOptions.defaults());
        relative = Path.of("target", "exclude-test-" + UUID.randomUUID(), "src");
        Files.createDirectories(relative.resolve("tmp"));
        Files.createDirectories(relative.resolve("logs"));
        Files.writeString(relative.resolve("keep.txt"), "keep\n");
        Files.writeString(relative.resolve("skip.txt"), "skip\n");
        Files.writeString(relative.resolve("tmp/x"), "x\n");
        Files.writeString(relative.resolve("logs/a.log"), "log\n");
        Files.writeString(relative.resolve("logs/a.txt"), "txt\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        repo.close();
        try (Stream<Path> s = Files.walk(relative.getParent())) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private List<String> backedUp(Path target, List<String> excludes) throws Exception {
        Snapshot s = new Archiver(repo, BackupOptions.defaults("testhost").withExcludes(excludes), new BackupProgress(false), WHO)
                .backup(List.of(target)).snapshot();
        List<String> names = new ArrayList<>();
        String prefix = target.isAbsolute() ? target.toString() : "/" + target;
        new TreeWalker(repo).walk(s.tree(), (path, node) -> {
            if (path.startsWith(prefix + "/")) {
                names.add(path.substring(prefix.length() + 1));
            }
        });
        names.sort(null);
        return names;
    }

    private List<String> excludes() {
        String abs = relative.toAbsolutePath().toString();
        return List.of(abs + "/skip.txt", "tmp", "*.log");
    }

    @Test
    void absoluteTarget() throws Exception {
        assertEquals(List.of("keep.txt", "logs", "logs/a.txt"), backedUp(relative.toAbsolutePath(), excludes()));
    }

    @Test
    void relativeTargetMatchesAnchoredPatternsAgainstTheAbsolutePath() throws Exception {
        // restic: archiver.Save matches SelectByName(abs(target)); an anchored pattern naming the
        // absolute path excludes the file whatever form the target was given in
        assertEquals(List.of("keep.txt", "logs", "logs/a.txt"), backedUp(relative, excludes()));
    }

    @Test
    void relativeAnchoredPatternsDoNotMatchTheRelativeForm() throws Exception {
        // "/target/..." is anchored at the file system root, not at the working directory
        List<String> names = backedUp(relative, List.of("/" + relative + "/skip.txt"));
        assertEquals(List.of("keep.txt", "logs", "logs/a.log", "logs/a.txt", "skip.txt", "tmp", "tmp/x"), names);
    }
}
