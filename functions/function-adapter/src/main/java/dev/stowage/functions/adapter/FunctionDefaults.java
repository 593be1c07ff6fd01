package dev.stowage.functions.adapter;

import dev.stowage.engine.handler.InlinePlans;
import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.handler.SecretStore;
import dev.stowage.engine.handler.Secrets;
import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.postgres.PgClients;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.RepositoryCache;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * Beans and settings every function shares: the engine's repository cache (kept across events of a
 * warm instance), secret resolution, and the HTTP settings that keep request CloudEvent headers out
 * of responses (knative-notes §0: echoed {@code ce-*} headers make a Broker loop forever).
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:stowage-function-defaults.properties")
@Import(EventErrors.class)
public class FunctionDefaults {
    @Bean
    @ConditionalOnMissingBean
    public RepositoryCache repositoryCache() {
        return RepositoryCache.defaults();
    }

    @Bean
    @ConditionalOnMissingBean
    public Identity identity() {
        return Identity.current();
    }

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    public SecretStore secretStore() {
        return SecretStore.none();
    }

    @Bean
    @ConditionalOnMissingBean
    public Sessions sessions() {
        return Sessions.none();
    }

    @Bean
    public Secrets secrets(SecretStore store) {
        return new Secrets(store, System.getenv());
    }

    @Bean
    public InlinePlans inlinePlans(Secrets secrets) {
        return new InlinePlans(secrets);
    }

    /** {@code stowage.postgres.bin-dir}: directory of the PostgreSQL client programs (default: PATH). */
    @Bean
    @ConditionalOnMissingBean
    public PgClients pgClients(@Value("${stowage.postgres.bin-dir:}") String binDir) {
        return binDir.isEmpty() ? PgClients.onPath() : new PgClients(Path.of(binDir));
    }

    @Bean
    public Repositories repositories(RepositoryCache cache, Identity identity) {
        return new Repositories(cache, identity);
    }
}
