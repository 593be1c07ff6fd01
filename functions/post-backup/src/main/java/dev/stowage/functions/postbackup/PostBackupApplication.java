package dev.stowage.functions.postbackup;

import dev.stowage.engine.handler.Repositories;
import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.kube.KubeSessions;
import dev.stowage.engine.kube.PostBackupHandler;
import dev.stowage.engine.kube.RepositoryResolver;
import dev.stowage.engine.handler.SecretStore;
import dev.stowage.functions.adapter.EventFunction;
import dev.stowage.functions.adapter.FunctionApplication;
import dev.stowage.functions.adapter.FunctionLauncher;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;

/** The post-backup function: {@code POST /} with a backup or restore {@code completed}/{@code failed} event. */
@FunctionApplication
public class PostBackupApplication {
    public static void main(String[] args) {
        FunctionLauncher.run(PostBackupApplication.class, args);
    }

    @Bean
    public EventFunction postBackup(ObjectProvider<KubernetesClient> client, Sessions sessions,
                                    SecretStore secrets, Repositories repositories, Clock clock) {
        KubernetesClient kube = client.getIfAvailable();
        if (kube == null) {
            throw new IllegalStateException("post-backup writes session status and needs the Kubernetes API: run it "
                    + "in a cluster or set stowage.kubernetes=true with a kubeconfig");
        }
        return new EventFunction(new PostBackupHandler(kube, (KubeSessions) sessions,
                new RepositoryResolver(kube, secrets), repositories, clock));
    }
}
