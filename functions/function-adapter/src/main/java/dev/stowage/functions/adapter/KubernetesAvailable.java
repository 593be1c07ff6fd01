package dev.stowage.functions.adapter;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True when the function should talk to the Kubernetes API: {@code stowage.kubernetes=true}, or
 * {@code auto} (the default) inside a pod ({@code KUBERNETES_SERVICE_HOST} is set). On a laptop the
 * functions then serve inline requests only.
 */
public final class KubernetesAvailable implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String mode = context.getEnvironment().getProperty("stowage.kubernetes", "auto");
        return switch (mode) {
            case "true" -> true;
            case "false" -> false;
            default -> context.getEnvironment().getProperty("KUBERNETES_SERVICE_HOST") != null;
        };
    }
}
