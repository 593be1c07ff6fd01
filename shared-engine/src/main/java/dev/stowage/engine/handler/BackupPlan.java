package dev.stowage.engine.handler;

import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.postgres.DumpCommand;
import dev.stowage.engine.postgres.PgConnection;
import java.util.List;

/**
 * Everything a PostgreSQL backup needs, resolved from an inline request or a BackupSession.
 *
 * @param session         the session, or null for an inline request
 * @param idempotencyTag  snapshot tag unique to the request, so a redelivery finds the snapshot it made
 */
public record BackupPlan(SessionRef session, String task, RepositoryTarget repository, PgConnection database,
                         DumpCommand dump, String host, List<String> tags, String idempotencyTag) {
    public BackupPlan {
        tags = List.copyOf(tags);
    }
}
