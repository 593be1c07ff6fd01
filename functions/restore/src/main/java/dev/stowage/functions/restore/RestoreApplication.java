package dev.stowage.functions.restore;

import dev.stowage.engine.handler.InlinePlans;
import dev.stowage.engine.handler.PgRestoreHandler;
import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.postgres.PgClients;
import dev.stowage.functions.adapter.EventFunction;
import dev.stowage.functions.adapter.FunctionApplication;
import dev.stowage.functions.adapter.FunctionLauncher;
import java.time.Clock;
import org.springframework.context.annotation.Bean;

/** The restore function: {@code POST /} with a {@code dev.stowage.restore.requested} CloudEvent. */
@FunctionApplication
public class RestoreApplication {
    public static void main(String[] args) {
        FunctionLauncher.run(RestoreApplication.class, args);
    }

    @Bean
    public EventFunction restore(Sessions sessions, InlinePlans inline, Repositories repositories, PgClients clients,
                                 Clock clock) {
        return new EventFunction(new PgRestoreHandler(sessions, inline, repositories, clients, "/stowage/restore",
                clock));
    }
}
