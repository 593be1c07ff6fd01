package dev.stowage.engine.restorer;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.data.FileMode;
import dev.stowage.engine.data.Node;
import dev.stowage.engine.data.NodeType;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.data.TreeCodec;
import dev.stowage.engine.repository.BlobSaver;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Throw-away repositories for restore tests: real backups, and hand-made trees and snapshots. */
final class TestRepo {
    static final String PASSWORD = "unit-test";
    static final Identity WHO = new Identity("tester", "testhost", ProcessHandle.current().pid());
    static final OffsetDateTime T = OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    private TestRepo() {
    }

    static Repository create(Path dir) throws IOException {
        Repository repo = Repository.init(new LocalBackend(dir), PASSWORD, 2, new ScryptParams(1024, 8, 1), WHO,
                RepositoryOptions.defaults());
        pruneEmptyDataDirs(dir);
        return repo;
    }

    /**
     * Removes the 256 empty data/xx directories init creates (the backend creates them again on
     * demand, as restic does): deleting hundreds of directories per test is slow on some disks.
     */
    static void pruneEmptyDataDirs(Path repoDir) throws IOException {
        try (Stream<Path> dirs = Files.list(repoDir.resolve("data"))) {
            for (Path d : dirs.toList()) {
                try (Stream<Path> inside = Files.list(d)) {
                    if (inside.findAny().isEmpty()) {
                        Files.delete(d);
                    }
                }
            }
        }
    }

    static Repository open(Path dir) throws IOException {
        Repository r = Repository.open(new LocalBackend(dir), PASSWORD, RepositoryOptions.defaults());
        r.loadIndex();
        return r;
    }

    static Snapshot backup(Repository repo, Path... targets) throws IOException {
        return new Archiver(repo, BackupOptions.defaults("testhost"), new BackupProgress(false), WHO).backup(List.of(targets)).snapshot();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Node file(byte[] name, byte[] content, Repository repo) throws IOException {
        Id blob = saveBlob(repo, BlobType.DATA, content);
        return new Node(name, NodeType.FILE, 0644, T, T, T, 0, 0, "", "", 0, 0, content.length, 0, null, List.of(), 0,
                List.of(blob), null, "");
    }

    static Node dir(byte[] name, Id subtree) {
        return new Node(name, NodeType.DIR, FileMode.DIR | 0755, T, T, T, 0, 0, "", "", 0, 0, 0, 0, null, List.of(), 0,
                null, subtree, "");
    }

    static Node symlink(byte[] name, String target) {
        return new Node(name, NodeType.SYMLINK, FileMode.SYMLINK | 0777, T, T, T, 0, 0, "", "", 0, 0, 0, 0, utf8(target),
                List.of(), 0, null, null, "");
    }

    static Id saveBlob(Repository repo, BlobType type, byte[] plain) throws IOException {
        Id id = Id.hash(plain);
        try (BlobSaver saver = repo.newBlobSaver()) {
            saver.save(type, id, plain);
            saver.flush();
        }
        return id;
    }

    /** A tree blob of these nodes, encoded by TreeCodec (which refuses duplicate names). */
    static Id tree(Repository repo, Node... nodes) throws IOException {
        return saveBlob(repo, BlobType.TREE, TreeCodec.encode(List.of(nodes)));
    }

    /** A tree blob listing the nodes in this order, duplicates allowed: restic's JSON spliced by hand. */
    static Id rawTree(Repository repo, Node... nodes) throws IOException {
        List<String> parts = new ArrayList<>();
        for (Node n : nodes) {
            String one = new String(TreeCodec.encode(List.of(n)), StandardCharsets.UTF_8);
            parts.add(one.substring("{\"nodes\":[".length(), one.length() - "]}\n".length()));
        }
        return saveBlob(repo, BlobType.TREE, utf8("{\"nodes\":[" + String.join(",", parts) + "]}\n"));
    }

    static Snapshot snapshot(Repository repo, Id tree) throws IOException {
        return Snapshots.save(repo, new Snapshot(null, T, null, tree, List.of("/crafted"), "testhost", "tester", 0, 0,
                null, null, null, null, null));
    }

    static RestoreResult restore(Repository repo, Snapshot s, Path target) throws IOException {
        return new Restorer(repo, RestoreOptions.defaults(), new RestoreProgress()).restore(s, target);
    }

    /** Every path below {@code dir} (relative, sorted); empty if it does not exist. */
    static List<String> contents(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * Every regular file below {@code restored} must have the content of the same path below
     * {@code source}; returns the files that were restored.
     */
    static List<String> assertNoWrongContent(Path restored, Path source) throws IOException {
        List<String> files = new ArrayList<>();
        for (String rel : contents(restored)) {
            Path p = restored.resolve(rel);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Path original = source.resolve(rel);
                if (!Files.isRegularFile(original) || !Arrays.equals(Files.readAllBytes(original), Files.readAllBytes(p))) {
                    throw new AssertionError("restored file with wrong content: " + rel);
                }
                files.add(rel);
            }
        }
        return files;
    }
}
