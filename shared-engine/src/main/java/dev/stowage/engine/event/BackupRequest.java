package dev.stowage.engine.event;

import java.util.List;
import java.util.Map;

/**
 * Data of {@link EventTypes#BACKUP_REQUESTED}: either {@code session} (resolved through the
 * Kubernetes API) or the inline fields {@code repository} and {@code postgres}.
 *
 * @param host   snapshot host name (inline; default {@code host-0}, as Stash names a standalone database's host)
 * @param tags   extra snapshot tags (inline)
 * @param params task parameters, as Stash's task params: {@code backupCMD} (pg_dump or pg_dumpall),
 *               {@code args} (extra dump arguments)
 */
public record BackupRequest(SessionRef session, RepositoryAddress repository, PostgresTarget postgres, String host,
                            List<String> tags, Map<String, String> params) {
    public BackupRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
        params = params == null ? Map.of() : Map.copyOf(params);
        EventData.requireOneStyle(session, repository, postgres);
    }
}
