package dev.stowage.engine.event;

import java.util.Map;

/**
 * Data of {@link EventTypes#RESTORE_REQUESTED}: either {@code session} or the inline fields.
 *
 * @param snapshot   snapshot ID (or prefix) or {@code latest} (inline; default latest)
 * @param sourceHost restrict {@code latest} to snapshots of this host (inline)
 * @param params     task parameters: {@code args} (extra psql/pg_restore arguments),
 *                   {@code targetDatabase} (restore into this database, created if missing)
 */
public record RestoreRequest(SessionRef session, RepositoryAddress repository, PostgresTarget postgres,
                             String snapshot, String sourceHost, Map<String, String> params) {
    public RestoreRequest {
        params = params == null ? Map.of() : Map.copyOf(params);
        EventData.requireOneStyle(session, repository, postgres);
    }
}
