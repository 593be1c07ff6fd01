package dev.stowage.functions.scheduler;

import dev.stowage.engine.handler.Sessions;
import dev.stowage.engine.kube.KubeSessions;
import dev.stowage.engine.kube.SchedulerHandler;
import dev.stowage.functions.adapter.EventFunction;
import dev.stowage.functions.adapter.FunctionApplication;
import dev.stowage.functions.adapter.FunctionLauncher;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;

import org.springframework.context.annotation.Bean;

/**
 * The scheduler function: {@code POST /} with PingSource ticks and ApiServerSource events.
 * {@code stowage.scheduler.broker} names the Broker its PingSources send to (default {@code default}), in the
 * namespace {@code stowage.scheduler.broker-namespace} (default: each BackupConfiguration's own).
 */
@FunctionApplication
public class SchedulerApplication {
    public static void main(String[] args) {
        FunctionLauncher.run(SchedulerApplication.class, args);
    }

    @Bean
    public EventFunction scheduler(ObjectProvider<KubernetesClient> client, Sessions sessions,
                                   @Value("${stowage.scheduler.broker:default}") String broker,
                                   @Value("${stowage.scheduler.broker-namespace:}") String brokerNamespace,
                                   Clock clock) {
        KubernetesClient kube = client.getIfAvailable();
        if (kube == null) {
            throw new IllegalStateException("the scheduler manages PingSources and sessions and needs the Kubernetes "
                    + "API: run it in a cluster or set stowage.kubernetes=true with a kubeconfig");
        }
        return new EventFunction(new SchedulerHandler(kube, (KubeSessions) sessions, broker, brokerNamespace,
                "/stowage/scheduler", clock));
    }
}
