package dev.stowage.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.api.appcatalog.AppBinding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generated CRDs: names, printer columns, status subresource and Stash's field names. */
class CrdSchemaTest {
    static CustomResourceDefinition crd(Class<? extends HasMetadata> kind) {
        CustomResourceDefinition crd = CrdFixtures.load("META-INF/fabric8/" + HasMetadata.getPlural(kind) + "."
                + HasMetadata.getGroup(kind) + "-v1.yml");
        assertEquals(HasMetadata.getKind(kind), crd.getSpec().getNames().getKind());
        assertEquals("Namespaced", crd.getSpec().getScope());
        return crd;
    }

    static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
        assertEquals(1, crd.getSpec().getVersions().size());
        return crd.getSpec().getVersions().get(0);
    }

    /** The schema at a dotted path below openAPIV3Schema; "items" steps into an array's items. */
    static JSONSchemaProps at(CustomResourceDefinition crd, String path) {
        JSONSchemaProps p = version(crd).getSchema().getOpenAPIV3Schema();
        for (String step : path.split("\\.")) {
            JSONSchemaProps next = step.equals("items") ? p.getItems().getSchema() : p.getProperties().get(step);
            assertNotNull(next, () -> "no " + step + " in " + path);
            p = next;
        }
        return p;
    }

    static void assertFields(CustomResourceDefinition crd, String path, String... names) {
        assertEquals(List.of(names).stream().sorted().toList(),
                at(crd, path).getProperties().keySet().stream().sorted().toList(), path);
    }

    static void assertRequired(CustomResourceDefinition crd, String path, String... names) {
        assertEquals(List.of(names).stream().sorted().toList(),
                at(crd, path).getRequired().stream().sorted().toList(), path);
    }

    static void assertType(CustomResourceDefinition crd, String path, String type) {
        assertEquals(type, at(crd, path).getType(), path);
    }

    /** Column name to JSON path and type, and the names in kubectl's order. */
    static void assertColumns(CustomResourceDefinition crd, String... nameJsonPathType) {
        List<CustomResourceColumnDefinition> columns = version(crd).getAdditionalPrinterColumns();
        Map<String, String> actual = columns.stream().collect(Collectors.toMap(CustomResourceColumnDefinition::getName,
                c -> c.getJsonPath() + " " + c.getType()));
        Map<String, String> expected = new java.util.HashMap<>();
        for (int i = 0; i < nameJsonPathType.length; i += 3) {
            expected.put(nameJsonPathType[i], nameJsonPathType[i + 1] + " " + nameJsonPathType[i + 2]);
        }
        assertEquals(expected, actual);
        columns.forEach(c -> assertEquals(0, c.getPriority(), c.getName() + " is shown without -o wide"));
    }

    static void assertCommon(CustomResourceDefinition crd, boolean status) {
        assertEquals("stowage.dev", crd.getSpec().getGroup());
        CustomResourceDefinitionVersion v = version(crd);
        assertEquals("v1alpha1", v.getName());
        assertTrue(v.getServed());
        assertTrue(v.getStorage());
        if (status) {
            assertNotNull(v.getSubresources().getStatus(), "status subresource");
        }
    }

    @Test
    void repository() {
        CustomResourceDefinition crd = crd(Repository.class);
        assertCommon(crd, true);
        assertEquals("repositories.stowage.dev", crd.getMetadata().getName());
        assertEquals(List.of("repo"), crd.getSpec().getNames().getShortNames());
        assertColumns(crd,
                "Integrity", ".status.integrity", "boolean",
                "Size", ".status.totalSize", "string",
                "Snapshot-Count", ".status.snapshotCount", "integer",
                "Last-Successful-Backup", ".status.lastBackupTime", "date",
                "Age", ".metadata.creationTimestamp", "date");
        assertFields(crd, "spec", "backend", "usagePolicy");
        assertRequired(crd, "spec", "backend");
        assertFields(crd, "spec.backend", "storageSecretName", "local", "s3", "gcs");
        assertFields(crd, "spec.backend.local", "mountPath", "subPath", "persistentVolumeClaim", "hostPath", "nfs");
        assertRequired(crd, "spec.backend.local", "mountPath");
        assertType(crd, "spec.backend.local.persistentVolumeClaim.claimName", "string");
        assertType(crd, "spec.backend.local.nfs.server", "string");
        assertFields(crd, "spec.backend.s3", "endpoint", "bucket", "prefix", "region", "insecureTLS");
        assertRequired(crd, "spec.backend.s3", "bucket");
        assertType(crd, "spec.backend.s3.insecureTLS", "boolean");
        assertFields(crd, "spec.backend.gcs", "bucket", "prefix", "maxConnections");
        JSONSchemaProps from = at(crd, "spec.usagePolicy.allowedNamespaces.from");
        assertEquals(List.of("All", "Same", "Selector"), from.getEnum().stream().map(n -> n.asText()).toList());
        assertEquals("Same", from.getDefault().asText());
        assertType(crd, "spec.usagePolicy.allowedNamespaces.selector.matchLabels", "object");
        assertType(crd, "spec.usagePolicy.allowedNamespaces.selector.matchExpressions.items.operator", "string");
        assertFields(crd, "status", "observedGeneration", "firstBackupTime", "lastBackupTime", "integrity", "totalSize",
                "snapshotCount", "snapshotsRemovedOnLastCleanup");
        assertType(crd, "status.integrity", "boolean");
        assertType(crd, "status.totalSize", "string");
        assertType(crd, "status.snapshotCount", "integer");
    }

    @Test
    void backupConfiguration() {
        CustomResourceDefinition crd = crd(BackupConfiguration.class);
        assertCommon(crd, true);
        assertEquals(List.of("bc"), crd.getSpec().getNames().getShortNames());
        assertColumns(crd,
                "Task", ".spec.task.name", "string",
                "Schedule", ".spec.schedule", "string",
                "Paused", ".spec.paused", "boolean",
                "Age", ".metadata.creationTimestamp", "date");
        assertFields(crd, "spec", "schedule", "task", "repository", "target", "retentionPolicy", "paused",
                "backupHistoryLimit", "timeOut");
        assertRequired(crd, "spec", "schedule", "repository");
        assertFields(crd, "spec.task", "name", "params");
        assertFields(crd, "spec.task.params.items", "name", "value");
        assertFields(crd, "spec.repository", "name", "namespace");
        assertRequired(crd, "spec.repository", "name");
        assertFields(crd, "spec.target", "ref", "paths", "exclude");
        assertFields(crd, "spec.target.ref", "apiVersion", "kind", "name", "namespace");
        assertType(crd, "spec.target.paths.items", "string");
        assertFields(crd, "spec.retentionPolicy", "name", "keepLast", "keepHourly", "keepDaily", "keepWeekly",
                "keepMonthly", "keepYearly", "keepTags", "prune", "dryRun");
        assertRequired(crd, "spec.retentionPolicy", "name", "prune");
        for (String keep : List.of("keepLast", "keepHourly", "keepDaily", "keepWeekly", "keepMonthly", "keepYearly")) {
            assertType(crd, "spec.retentionPolicy." + keep, "integer");
            assertEquals(0.0, at(crd, "spec.retentionPolicy." + keep).getMinimum(), keep);
        }
        assertType(crd, "spec.retentionPolicy.keepTags.items", "string");
        assertType(crd, "spec.retentionPolicy.prune", "boolean");
        assertType(crd, "spec.paused", "boolean");
        JSONSchemaProps limit = at(crd, "spec.backupHistoryLimit");
        assertEquals(1, limit.getDefault().asInt());
        assertEquals(0.0, limit.getMinimum());
        assertNotNull(at(crd, "spec.timeOut").getPattern());
        assertFields(crd, "status", "observedGeneration", "phase", "conditions");
        assertEquals(List.of("Invalid", "NotReady", "Ready"),
                at(crd, "status.phase").getEnum().stream().map(n -> n.asText()).sorted().toList());
        assertFields(crd, "status.conditions.items", "type", "status", "reason", "message", "lastTransitionTime",
                "observedGeneration");
    }

    @Test
    void backupSession() {
        CustomResourceDefinition crd = crd(BackupSession.class);
        assertCommon(crd, true);
        assertColumns(crd,
                "Invoker", ".spec.invoker.name", "string",
                "Phase", ".status.phase", "string",
                "Duration", ".status.sessionDuration", "string",
                "Age", ".metadata.creationTimestamp", "date");
        assertFields(crd, "spec", "invoker");
        assertFields(crd, "spec.invoker", "apiGroup", "kind", "name");
        assertRequired(crd, "spec.invoker", "kind", "name");
        assertFields(crd, "status", "phase", "sessionDuration", "targets", "conditions");
        assertEquals(List.of("Failed", "Pending", "Running", "Skipped", "Succeeded", "Unknown"),
                at(crd, "status.phase").getEnum().stream().map(n -> n.asText()).sorted().toList());
        assertFields(crd, "status.targets.items", "ref", "totalHosts", "phase", "stats");
        assertFields(crd, "status.targets.items.stats.items", "hostname", "phase", "duration", "error", "snapshots");
        assertEquals(List.of("Failed", "Running", "Succeeded", "Unknown"),
                at(crd, "status.targets.items.stats.items.phase").getEnum().stream().map(n -> n.asText()).sorted()
                        .toList());
        assertFields(crd, "status.targets.items.stats.items.snapshots.items", "name", "path", "totalSize", "uploaded",
                "processingTime", "fileStats");
        assertFields(crd, "status.targets.items.stats.items.snapshots.items.fileStats", "totalFiles", "newFiles",
                "modifiedFiles", "unmodifiedFiles");
        assertType(crd, "status.targets.items.stats.items.snapshots.items.fileStats.totalFiles", "integer");
    }

    @Test
    void restoreSession() {
        CustomResourceDefinition crd = crd(RestoreSession.class);
        assertCommon(crd, true);
        assertEquals(List.of("restore"), crd.getSpec().getNames().getShortNames());
        assertColumns(crd,
                "Repository", ".spec.repository.name", "string",
                "Phase", ".status.phase", "string",
                "Duration", ".status.sessionDuration", "string",
                "Age", ".metadata.creationTimestamp", "date");
        assertFields(crd, "spec", "repository", "task", "target", "timeOut");
        assertRequired(crd, "spec", "repository");
        assertFields(crd, "spec.target", "ref", "rules");
        assertFields(crd, "spec.target.rules.items", "snapshots", "paths", "sourceHost", "include", "exclude");
        assertFields(crd, "status", "phase", "totalHosts", "sessionDuration", "stats", "conditions");
        assertEquals(List.of("Failed", "Invalid", "Pending", "Running", "Succeeded", "Unknown"),
                at(crd, "status.phase").getEnum().stream().map(n -> n.asText()).sorted().toList());
        assertFields(crd, "status.stats.items", "hostname", "phase", "duration", "error");
    }

    @Test
    void appBinding() {
        CustomResourceDefinition crd = crd(AppBinding.class);
        assertEquals("appcatalog.appscode.com", crd.getSpec().getGroup());
        assertEquals("v1alpha1", version(crd).getName());
        assertNull(version(crd).getSubresources(), "KubeDB's AppBinding has no status subresource");
        assertColumns(crd,
                "Type", ".spec.type", "string",
                "Version", ".spec.version", "string",
                "Age", ".metadata.creationTimestamp", "date");
        assertFields(crd, "spec", "type", "version", "clientConfig", "secret", "parameters");
        assertFields(crd, "spec.clientConfig", "url", "service", "insecureSkipTLSVerify", "caBundle", "serverName");
        assertFields(crd, "spec.clientConfig.service", "scheme", "name", "namespace", "port", "path", "query");
        assertFields(crd, "spec.secret", "name");
        assertTrue(at(crd, "spec.parameters").getXKubernetesPreserveUnknownFields());
    }

    @Test
    void crdFixturesListsEveryGeneratedCrd() throws Exception {
        java.net.URL dir = getClass().getClassLoader().getResource("META-INF/fabric8");
        assertNotNull(dir);
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(dir.toURI()))) {
            assertEquals(CrdFixtures.RESOURCES.stream().sorted().toList(),
                    files.map(f -> "META-INF/fabric8/" + f.getFileName()).sorted().toList());
        }
    }
}
