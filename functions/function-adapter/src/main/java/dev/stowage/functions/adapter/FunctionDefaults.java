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
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.Environment;

/**
 * Beans and settings every function shares: the engine's repository cache (kept across events of a
 * warm instance), secret resolution, and the HTTP settings that keep request CloudEvent headers out
 * of responses (knative-notes §0: echoed {@code ce-*} headers make a Broker loop forever).
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:stowage-function-defaults.properties")
@Import({EventErrors.class, HealthProbes.class})
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

    /**
     * The API client, in a pod or when {@code stowage.kubernetes=true} (configured from the pod or
     * kubeconfig); without Kubernetes access the bean is null. Decided when the function starts, not
     * by a condition: Spring AOT fixes conditions at build time.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public KubernetesClient kubernetesClient(Environment environment) {
        return KubernetesAvailable.in(environment) ? new KubernetesClientBuilder().build() : null;
    }

    @Bean
    @ConditionalOnMissingBean
    public SecretStore secretStore(ObjectProvider<KubernetesClient> client) {
        KubernetesClient kube = client.getIfAvailable();
        return kube == null ? SecretStore.none() : new KubeSecrets(kube);
    }

    /**
     * Sessions through the API ({@link KubeSessions}); without Kubernetes access, session requests
     * are refused with a clear message.
     */
    @Bean
    @ConditionalOnMissingBean
    public Sessions sessions(ObjectProvider<KubernetesClient> client, SecretStore secrets, Clock clock) {
        KubernetesClient kube = client.getIfAvailable();
        return kube == null ? Sessions.none()
                : new KubeSessions(kube, new RepositoryResolver(kube, secrets), new AppBindings(kube), clock);
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
     * Without {@code K_EVENT_PATH} the runner does nothing.
     */
    @Bean
    public JobSinkEvent jobSinkEvent(EventFunction function, Environment environment) {
        return new JobSinkEvent(function, environment.getProperty(JobSinkMode.EVENT_PATH),
                environment.getProperty(JobSinkMode.SINK), new CloudEventSender(6, Duration.ofSeconds(1)));
    }
}
