package dev.stowage.functions.pgbackup;

import dev.stowage.engine.handler.InlinePlans;
import dev.stowage.engine.handler.PgBackupHandler;
import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.postgres.PgClients;
import dev.stowage.engine.repository.Identity;
import dev.stowage.functions.adapter.EventFunction;
import dev.stowage.functions.adapter.FunctionApplication;
import dev.stowage.functions.adapter.FunctionLauncher;
import java.time.Clock;
import org.springframework.context.annotation.Bean;

/** The pg-backup function: {@code POST /} with a {@code dev.stowage.backup.requested} CloudEvent. */
@FunctionApplication
public class PgBackupApplication {
    public static void main(String[] args) {
        FunctionLauncher.run(PgBackupApplication.class, args);
    }

    @Bean
    public EventFunction pgBackup(Sessions sessions, InlinePlans inline, Repositories repositories, PgClients clients,
                                  Identity identity, Clock clock) {
        return new EventFunction(new PgBackupHandler(sessions, inline, repositories, clients, identity,
                "/stowage/pg-backup", clock));
    }
}
