package dev.stowage.engine.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The CRDs the build generates (META-INF/fabric8/*-v1.yml), for tests: {@link #registerAll} makes
 * a mock server in CRUD mode know the kinds, so status subresources behave as on a cluster.
 */
public final class CrdFixtures {
    /** Classpath resources of the generated CRDs, one per kind. */
    public static final List<String> RESOURCES = List.of(
            "META-INF/fabric8/repositories.stowage.dev-v1.yml",
            "META-INF/fabric8/backupconfigurations.stowage.dev-v1.yml",
            "META-INF/fabric8/backupsessions.stowage.dev-v1.yml",
            "META-INF/fabric8/restoresessions.stowage.dev-v1.yml",
            "META-INF/fabric8/appbindings.appcatalog.appscode.com-v1.yml");

    private CrdFixtures() {
    }

    /** The generated CRD in classpath resource {@code resource}. */
    public static CustomResourceDefinition load(String resource) {
        try (InputStream in = CrdFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath: run the build's process-classes "
                        + "phase (crd-generator-maven-plugin)");
            }
            return new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                    .unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every generated CRD. */
    public static List<CustomResourceDefinition> all() {
        return RESOURCES.stream().map(CrdFixtures::load).toList();
    }

    /** Creates every generated CRD through {@code client}; CRDs it already has are left as they are. */
    public static void registerAll(KubernetesClient client) {
        for (CustomResourceDefinition crd : all()) {
            var resource = client.apiextensions().v1().customResourceDefinitions().resource(crd);
            if (resource.get() == null) {
                resource.create();
            }
        }
    }
}
