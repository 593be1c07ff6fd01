package dev.stowage.engine.handler;

import dev.stowage.engine.event.SessionRef;
import dev.stowage.engine.postgres.PgConnection;
import java.util.List;

/**
 * Everything a PostgreSQL restore needs.
 *
 * @param snapshot       snapshot ID, prefix or {@code latest}
 * @param sourceHost     host whose snapshots {@code latest} picks from, or null for any
 * @param database       where to restore; its database is the target database
 * @param createDatabase create the target database if it does not exist
 * @param args           extra psql/pg_restore arguments
 */
public record RestorePlan(SessionRef session, String task, RepositoryTarget repository, String snapshot,
                          String sourceHost, PgConnection database, boolean createDatabase, List<String> args) {
    public RestorePlan {
        args = List.copyOf(args);
    }
}
