package dev.stowage.functions.tests;

import static dev.stowage.functions.tests.Manifests.RBAC;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.functions.tests.Manifests.Doc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the manifests' RBAC grants one ServiceAccount: the rules of the ClusterRoles bound to it
 * cluster-wide, and of the roles bound to it in a namespace. Authorization as Kubernetes does it
 * for resource requests (group, resource or resource/subresource, verb; {@code *} matches all).
 */
final class Rbac {
    /** One permission: {@code verb} on {@code resource} (plural, or plural/subresource) of {@code group}. */
    record Grant(String group, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
        }
    }

    private record Rule(Set<String> groups, Set<String> resources, Set<String> verbs, String namespace) {
        boolean allows(String group, String resource, String verb, String ns) {
            return (namespace == null || namespace.equals(ns))
                    && (groups.contains("*") || groups.contains(group))
                    && (resources.contains("*") || resources.contains(resource))
                    && (verbs.contains("*") || verbs.contains(verb));
        }
    }

    private final List<Rule> rules;

    private Rbac(List<Rule> rules) {
        this.rules = rules;
    }

    static Rbac of(Manifests m, String namespace, String serviceAccount) {
        List<Rule> rules = new ArrayList<>();
        for (Doc binding : m.where(d -> d.group().equals(RBAC) && d.kind().endsWith("Binding"))) {
            boolean bound = false;
            for (JsonNode subject : binding.node().path("subjects")) {
                bound |= subject.path("kind").asText().equals("ServiceAccount")
                        && subject.path("name").asText().equals(serviceAccount)
                        && subject.path("namespace").asText(binding.namespace()).equals(namespace);
            }
            if (!bound) {
                continue;
            }
            String scope = binding.kind().equals("ClusterRoleBinding") ? null : binding.namespace();
            String roleKind = binding.node().path("roleRef").path("kind").asText();
            String roleName = binding.node().path("roleRef").path("name").asText();
            m.find(RBAC, roleKind, roleKind.equals("Role") ? binding.namespace() : null, roleName).ifPresent(role -> {
                for (JsonNode r : role.node().path("rules")) {
                    rules.add(new Rule(strings(r.path("apiGroups")), strings(r.path("resources")),
                            strings(r.path("verbs")), scope));
                }
            });
        }
        return new Rbac(rules);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether a request for {@code verb} on {@code resource} in {@code namespace} (null: cluster-scoped) is allowed. */
    boolean allows(String group, String resource, String verb, String namespace) {
        return rules.stream().anyMatch(r -> r.allows(group, resource, verb, namespace));
    }

    /** Every (group, resource, verb) the rules name, wildcards as written. */
    Set<Grant> grants() {
        Set<Grant> out = new TreeSet<>();
        for (Rule r : rules) {
            for (String g : r.groups()) {
                for (String res : r.resources()) {
                    for (String verb : r.verbs()) {
                        out.add(new Grant(g, res, verb));
                    }
                }
            }
        }
        return out;
    }
}
