package dev.stowage.engine.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a namespace may use a {@link Repository}, by its {@code spec.usagePolicy}, as Stash
 * decides it: without a policy (or with {@code from} unset, the CRD's default) only the
 * Repository's own namespace; {@code All} any namespace; {@code Selector} the namespaces whose
 * labels match the selector, the Repository's own included only if it matches too. A missing or
 * invalid selector matches nothing; an empty one matches every namespace.
 */
public final class UsagePolicies {
    private UsagePolicies() {
    }

    /**
     * Whether {@code callerNamespace}, labelled {@code callerNamespaceLabels} (null: no labels),
     * may use {@code repo}.
     */
    public static boolean allows(Repository repo, String callerNamespace, Map<String, String> callerNamespaceLabels) {
        Objects.requireNonNull(callerNamespace, "callerNamespace");
        String own = repo.getMetadata() == null ? null : repo.getMetadata().getNamespace();
        AllowedNamespaces allowed = repo.getSpec() == null || repo.getSpec().getUsagePolicy() == null
                ? null : repo.getSpec().getUsagePolicy().getAllowedNamespaces();
        FromNamespaces from = allowed == null || allowed.getFrom() == null ? FromNamespaces.Same : allowed.getFrom();
        return switch (from) {
            case Same -> callerNamespace.equals(own);
            case All -> true;
            case Selector -> matches(allowed.getSelector(), callerNamespaceLabels == null ? Map.of()
                    : callerNamespaceLabels);
        };
    }

    /** Kubernetes label selector semantics: every matchLabels entry and every requirement must hold. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String key = r.getKey();
        if (key == null || r.getOperator() == null) {
            return false;
        }
        return switch (r.getOperator()) {
            // In and NotIn need values, Exists and DoesNotExist must have none (as the API server validates)
            case "In" -> !values.isEmpty() && labels.containsKey(key) && values.contains(labels.get(key));
            case "NotIn" -> !values.isEmpty() && !(labels.containsKey(key) && values.contains(labels.get(key)));
            case "Exists" -> values.isEmpty() && labels.containsKey(key);
            case "DoesNotExist" -> values.isEmpty() && !labels.containsKey(key);
            default -> false;
        };
    }
}
