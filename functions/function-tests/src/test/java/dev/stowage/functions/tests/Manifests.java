package dev.stowage.functions.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The YAML documents of {@code knative/} and {@code triggers/}, found the way {@code kubectl apply -k}
 * finds them (the kustomizations' {@code resources}, recursively), as mutable JSON trees so that a
 * test can change the wiring in memory.
 */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One document of one file. */
    record Doc(Path file, int index, ObjectNode node) {
        String apiVersion() {
            return node.path("apiVersion").asText(null);
        }

        String kind() {
            return node.path("kind").asText(null);
        }

        /** API group ("" for the core group). */
        String group() {
            String v = apiVersion();
            return v == null || !v.contains("/") ? "" : v.substring(0, v.indexOf('/'));
        }

        String version() {
            String v = apiVersion();
            return v == null ? null : v.substring(v.indexOf('/') + 1);
        }

        String name() {
            return node.path("metadata").path("name").asText(null);
        }

        /** The namespace as written, or null (cluster-scoped, or left to kubectl's default). */
        String namespace() {
            return node.path("metadata").path("namespace").asText(null);
        }

        /** The spec (an empty, detached object for kinds without one). */
        ObjectNode spec() {
            return node.get("spec") instanceof ObjectNode spec ? spec : YAML.createObjectNode();
        }

        boolean is(String group, String kind) {
            return group.equals(group()) && kind.equals(kind());
        }

        @Override
        public String toString() {
            return kind() + " " + (namespace() != null ? namespace() + "/" : "") + name() + " (" + root().relativize(file)
                    + (index > 0 ? " #" + (index + 1) : "") + ")";
        }
    }

    private final List<Doc> docs;
    private final Set<Path> files;

    private Manifests(List<Doc> docs, Set<Path> files) {
        this.docs = docs;
        this.files = files;
    }

    /** The repository root (system property {@code stowage.root}, set by the root pom). */
    static Path root() {
        String configured = System.getProperty("stowage.root");
        return (configured != null ? Path.of(configured) : Path.of("..", "..")).toAbsolutePath().normalize();
    }

    /** The documents {@code kubectl apply -k DIR} applies, for each directory (relative to the root). */
    static Manifests kustomized(String... directories) {
        List<Doc> docs = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        for (String dir : directories) {
            collect(root().resolve(dir).normalize(), docs, files, new LinkedHashSet<>());
        }
        return new Manifests(docs, files);
    }

    /** The documents of plain YAML files (relative to the root), e.g. documented examples. */
    static Manifests files(String... paths) {
        List<Doc> docs = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        for (String p : paths) {
            Path file = root().resolve(p).normalize();
            files.add(file);
            docs.addAll(read(file));
        }
        return new Manifests(docs, files);
    }

    private static void collect(Path dir, List<Doc> docs, Set<Path> files, Set<Path> visiting) {
        if (!visiting.add(dir)) {
            throw new IllegalStateException("kustomization cycle at " + dir);
        }
        Path kustomization = dir.resolve("kustomization.yaml");
        files.add(kustomization);
        JsonNode k = read(kustomization).get(0).node();
        for (JsonNode resource : k.path("resources")) {
            Path target = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(target)) {
                collect(target, docs, files, visiting);
            } else if (files.add(target)) {
                docs.addAll(read(target));
            }
        }
        visiting.remove(dir);
    }

    static List<Doc> read(Path file) {
        List<Doc> out = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            int i = 0;
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && node.isObject() && !node.isEmpty()) {
                    out.add(new Doc(file, i++, (ObjectNode) node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** A deep copy, for changing the wiring in one test only. */
    Manifests copy() {
        return new Manifests(docs.stream().map(d -> new Doc(d.file(), d.index(), d.node().deepCopy())).toList(),
                new LinkedHashSet<>(files));
    }

    Manifests plus(Manifests other) {
        List<Doc> all = new ArrayList<>(docs);
        all.addAll(other.docs);
        Set<Path> allFiles = new LinkedHashSet<>(files);
        allFiles.addAll(other.files);
        return new Manifests(all, allFiles);
    }

    List<Doc> all() {
        return docs;
    }

    /** Every file the kustomizations name (kustomization.yaml files included). */
    Set<Path> files() {
        return files;
    }

    List<Doc> where(Predicate<Doc> test) {
        return docs.stream().filter(test).toList();
    }

    List<Doc> of(String group, String kind) {
        return where(d -> d.is(group, kind));
    }

    Optional<Doc> find(String group, String kind, String namespace, String name) {
        return docs.stream().filter(d -> d.is(group, kind) && name.equals(d.name())
                && (namespace == null || namespace.equals(d.namespace()))).findFirst();
    }

    /** The one document of that kind and name; fails naming what is missing. */
    Doc get(String group, String kind, String namespace, String name) {
        return find(group, kind, namespace, name).orElseThrow(() -> new AssertionError("no " + kind + " " + namespace
                + "/" + name + " in the manifests"));
    }

    static final String SERVING = "serving.knative.dev";
    static final String EVENTING = "eventing.knative.dev";
    static final String FLOWS = "flows.knative.dev";
    static final String SOURCES = "sources.knative.dev";
    static final String SINKS = "sinks.knative.dev";
    static final String RBAC = "rbac.authorization.k8s.io";
}
