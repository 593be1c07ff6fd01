package dev.stowage.engine.postgres;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the PostgreSQL client programs are: a directory such as {@code /usr/lib/postgresql/16/bin}
 * (dump with the client matching the server's major version), or null to search {@code PATH}.
 */
public record PgClients(Path binDir) {
    public static PgClients onPath() {
        return new PgClients(null);
    }

    /** {@code command} with its program name resolved against {@link #binDir()}. */
    List<String> resolve(List<String> command) {
        if (binDir == null) {
            return command;
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, binDir.resolve(command.get(0)).toString());
        return resolved;
    }
}
