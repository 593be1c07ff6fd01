package dev.stowage.engine.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsagePoliciesTest {
    static Repository repo(FromNamespaces from, LabelSelector selector) {
        Repository repo = new Repository();
        repo.setMetadata(new ObjectMetaBuilder().withName("repo").withNamespace("backups").build());
        RepositorySpec spec = new RepositorySpec();
        spec.setBackend(new Backend());
        if (from != null || selector != null) {
            AllowedNamespaces allowed = new AllowedNamespaces();
            allowed.setFrom(from);
            allowed.setSelector(selector);
            UsagePolicy policy = new UsagePolicy();
            policy.setAllowedNamespaces(allowed);
            spec.setUsagePolicy(policy);
        }
        repo.setSpec(spec);
        return repo;
    }

    static Repository selector(LabelSelector selector) {
        return repo(FromNamespaces.Selector, selector);
    }

    static final Map<String, String> PROD = Map.of("env", "prod", "team", "db");

    @Test
    void withoutPolicyOnlyTheSameNamespace() {
        Repository repo = repo(null, null);
        assertTrue(UsagePolicies.allows(repo, "backups", Map.of()));
        assertFalse(UsagePolicies.allows(repo, "demo", PROD));
    }

    @Test
    void defaultAndUnsetFromMeanSame() {
        assertTrue(UsagePolicies.allows(repo(FromNamespaces.Same, null), "backups", null));
        assertFalse(UsagePolicies.allows(repo(FromNamespaces.Same, null), "demo", null));
        Repository unset = repo(FromNamespaces.All, null);
        unset.getSpec().getUsagePolicy().getAllowedNamespaces().setFrom(null);
        assertFalse(UsagePolicies.allows(unset, "demo", null));
        assertTrue(UsagePolicies.allows(unset, "backups", null));
        // a new AllowedNamespaces carries the CRD's default
        assertTrue(new AllowedNamespaces().getFrom() == FromNamespaces.Same);
    }

    @Test
    void allAllowsEveryNamespace() {
        Repository repo = repo(FromNamespaces.All, null);
        assertTrue(UsagePolicies.allows(repo, "demo", null));
        assertTrue(UsagePolicies.allows(repo, "backups", null));
    }

    @Test
    void selectorMatchLabels() {
        Repository repo = selector(new LabelSelectorBuilder().addToMatchLabels("env", "prod").build());
        assertTrue(UsagePolicies.allows(repo, "demo", PROD));
        assertFalse(UsagePolicies.allows(repo, "demo", Map.of("env", "dev")));
        assertFalse(UsagePolicies.allows(repo, "demo", null));
        assertFalse(UsagePolicies.allows(repo, "backups", Map.of()), "not even its own namespace unless it matches");
    }

    static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
                .withValues(values).endMatchExpression().build();
    }

    @Test
    void selectorMatchExpressions() {
        assertTrue(UsagePolicies.allows(selector(expression("env", "In", "prod", "staging")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("env", "In", "staging")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("env", "In", "prod")), "demo", Map.of()));
        assertTrue(UsagePolicies.allows(selector(expression("env", "NotIn", "dev")), "demo", PROD));
        assertTrue(UsagePolicies.allows(selector(expression("env", "NotIn", "dev")), "demo", Map.of()));
        assertFalse(UsagePolicies.allows(selector(expression("env", "NotIn", "prod")), "demo", PROD));
        assertTrue(UsagePolicies.allows(selector(expression("team", "Exists")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("owner", "Exists")), "demo", PROD));
        assertTrue(UsagePolicies.allows(selector(expression("owner", "DoesNotExist")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("team", "DoesNotExist")), "demo", PROD));
    }

    @Test
    void labelsAndExpressionsMustAllHold() {
        LabelSelector both = new LabelSelectorBuilder().addToMatchLabels("env", "prod").addNewMatchExpression()
                .withKey("team").withOperator("In").withValues("web").endMatchExpression().build();
        assertFalse(UsagePolicies.allows(selector(both), "demo", PROD));
        assertTrue(UsagePolicies.allows(selector(both), "demo", Map.of("env", "prod", "team", "web")));
    }

    @Test
    void missingOrInvalidSelectorMatchesNothing() {
        assertFalse(UsagePolicies.allows(selector(null), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("env", "In")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("env", "NotIn")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("team", "Exists", "db")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("env", "Gt", "1")), "demo", PROD));
        assertFalse(UsagePolicies.allows(selector(expression("env", "in", "prod")), "demo", PROD));
    }

    @Test
    void emptySelectorMatchesEveryNamespace() {
        assertTrue(UsagePolicies.allows(selector(new LabelSelector()), "demo", null));
    }

    @Test
    void stashManifestPolicy() {
        Repository repo = StashManifests.load("stash-repository.yaml", Repository.class);
        assertTrue(UsagePolicies.allows(repo, "prod", Map.of("stash/backup", "allowed",
                "kubernetes.io/metadata.name", "prod")));
        assertFalse(UsagePolicies.allows(repo, "kube-system", Map.of("stash/backup", "allowed",
                "kubernetes.io/metadata.name", "kube-system")));
        assertFalse(UsagePolicies.allows(repo, "demo", Map.of("kubernetes.io/metadata.name", "demo")));
    }

    @Test
    void callerNamespaceIsRequired() {
        assertThrows(NullPointerException.class, () -> UsagePolicies.allows(repo(null, null), null, Map.of()));
    }
}
