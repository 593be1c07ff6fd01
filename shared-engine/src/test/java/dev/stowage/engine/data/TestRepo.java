package dev.stowage.engine.data;

import dev.stowage.engine.archiver.Archiver;
import dev.stowage.engine.archiver.BackupOptions;
import dev.stowage.engine.archiver.BackupProgress;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.Repository;
import dev.stowage.engine.repository.RepositoryOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

/** A throw-away repository with cheap key derivation, and backups into it. */
final class TestRepo {
    static final String PASSWORD = "unit-test";
    static final Identity WHO = new Identity("tester", "testhost", ProcessHandle.current().pid());

    private TestRepo() {
    }

    static Repository create(Path dir) throws IOException {
        return Repository.init(new LocalBackend(dir), PASSWORD, 2, new ScryptParams(1024, 8, 1), WHO, RepositoryOptions.defaults());
    }

    static Snapshot backup(Repository repo, String host, List<String> tags, OffsetDateTime time, Path... targets)
            throws IOException {
        BackupOptions o = BackupOptions.defaults(host).withTags(tags).withTime(time);
        return new Archiver(repo, o, new BackupProgress(false), WHO).backup(List.of(targets)).snapshot();
    }
}
