package dev.stowage.functions.adapter;

import dev.stowage.engine.handler.InlinePlans;
import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.handler.SecretStore;
import dev.stowage.engine.handler.Secrets;
import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.kube.AppBindings;
import dev.stowage.engine.kube.KubeSecrets;
import dev.stowage.engine.kube.KubeSessions;
import dev.stowage.engine.kube.RepositoryResolver;
import dev.stowage.engine.postgres.PgClients;
import dev.stowage.engine.repository.Identity;
import dev.stowage.engine.repository.RepositoryCache;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.Environment;

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
    public CloudEventHeaderFilter cloudEventHeaderFilter() {
        return new CloudEventHeaderFilter();
    }

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

    /** The API client, in a pod or when {@code stowage.kubernetes=true}; configured from the pod or kubeconfig. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @Conditional(KubernetesAvailable.class)
    public KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    @ConditionalOnMissingBean
    public SecretStore secretStore(ObjectProvider<KubernetesClient> client) {
        KubernetesClient kube = client.getIfAvailable();
        return kube == null ? SecretStore.none() : new KubeSecrets(kube);
    }

    /** Without Kubernetes access, session requests are refused with a clear message. */
    @Bean
    public Sessions sessions() {
        return Sessions.none();
    }

    /** Sessions through the API; absent without Kubernetes access. Primary over the {@code sessions} fallback. */
    @Bean
    @Primary
    @ConditionalOnMissingBean
    @ConditionalOnBean(KubernetesClient.class)
    public KubeSessions kubeSessions(KubernetesClient client, SecretStore secrets, Clock clock) {
        return new KubeSessions(client, new RepositoryResolver(client, secrets), new AppBindings(client), clock);
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

    /**
     * JobSink mode ({@code K_EVENT_PATH} set): the function's one event is handled at startup and
     * the reply sent to {@code K_SINK}; {@link FunctionLauncher} then exits with the outcome.
     */
    @Bean
    @Conditional(JobSinkMode.class)
    public JobSinkEvent jobSinkEvent(EventFunction function, Environment environment) {
        return new JobSinkEvent(function, environment.getProperty(JobSinkMode.EVENT_PATH),
                environment.getProperty(JobSinkMode.SINK), new CloudEventSender(6, Duration.ofSeconds(1)));
    }
}
