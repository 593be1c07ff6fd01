package dev.stowage.functions.adapter;

import org.springframework.core.env.Environment;

/**
 * Whether the function should talk to the Kubernetes API: {@code stowage.kubernetes=true}, or
 * {@code auto} (the default) inside a pod ({@code KUBERNETES_SERVICE_HOST} is set). On a laptop the
 * functions then serve inline requests only. Evaluated when the function starts (a bean condition
 * would be fixed at build time by Spring AOT).
 */
public final class KubernetesAvailable {
    private KubernetesAvailable() {
    }

    public static boolean in(Environment environment) {
        String mode = environment.getProperty("stowage.kubernetes", "auto");
        return switch (mode) {
            case "true" -> true;
            case "false" -> false;
            default -> environment.getProperty("KUBERNETES_SERVICE_HOST") != null;
        };
    }
}
