package dev.stowage.functions.tests;

import dev.stowage.engine.event.BackupRequest;
import dev.stowage.engine.event.CloudEvent;
import dev.stowage.engine.event.EventTypes;
import dev.stowage.engine.event.Events;
import dev.stowage.engine.event.PostgresTarget;
import dev.stowage.engine.event.RepositoryAddress;
import dev.stowage.engine.event.RestoreRequest;
import dev.stowage.engine.event.SecretRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Inline request events against the local PostgreSQL, the password read from a file. */
final class TestEvents {
    private TestEvents() {
    }

    static CloudEvent backup(Path repo, Path passwordFile, String database, Map<String, String> params) {
        return Events.create(EventTypes.BACKUP_REQUESTED, "/test/pg", null, Map.of(),
                new BackupRequest(null, repository(repo, passwordFile), postgres(database), null, List.of("test"), params));
    }

    static CloudEvent restore(Path repo, Path passwordFile, String snapshot, Map<String, String> params) {
        return Events.create(EventTypes.RESTORE_REQUESTED, "/test/pg", null, Map.of(),
                new RestoreRequest(null, repository(repo, passwordFile), postgres("postgres"), snapshot, null, params));
    }

    static RepositoryAddress repository(Path repo, Path passwordFile) {
        return new RepositoryAddress(repo.toString(), SecretRef.ofFile(passwordFile.toString()), null);
    }

    static PostgresTarget postgres(String database) {
        return new PostgresTarget(PgDatabases.HOST, 5432, database, PgDatabases.USER, null);
    }
}
