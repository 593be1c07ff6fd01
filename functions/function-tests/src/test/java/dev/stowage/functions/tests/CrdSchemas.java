package dev.stowage.functions.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validation of custom resources against the {@code openAPIV3Schema} of their CRDs, the way an API
 * server with {@code kubectl apply --validate=strict} (kubectl's default) treats them:
 * <ul>
 *   <li>the schema is OpenAPI 3.0 ({@code nullable} understood);</li>
 *   <li>a field the schema does not declare is an error, except below
 *       {@code x-kubernetes-preserve-unknown-fields: true} (the server would prune or reject it);</li>
 *   <li>{@code x-kubernetes-int-or-string} accepts an integer or a string;
 *       {@code x-kubernetes-embedded-resource} objects have apiVersion, kind and metadata.</li>
 * </ul>
 * Other {@code x-kubernetes-*} keywords (list types, validations in CEL) are not checked.
 */
final class CrdSchemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** group, version and kind of a served version. */
    record Gvk(String group, String version, String kind) {
    }

    private final Map<Gvk, Schema> schemas = new HashMap<>();
    private final Map<Gvk, String> scopes = new HashMap<>();
    private final SchemaRegistry registry = SchemaRegistry.withDialect(Dialects.getOpenApi30());

    /** Adds every served version of a CustomResourceDefinition document. */
    CrdSchemas add(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText();
        String kind = spec.path("names").path("kind").asText();
        for (JsonNode version : spec.path("versions")) {
            if (!version.path("served").asBoolean(false)) {
                continue;
            }
            Gvk gvk = new Gvk(group, version.path("name").asText(), kind);
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode()) {
                throw new IllegalArgumentException(gvk + " has no openAPIV3Schema");
            }
            schemas.put(gvk, registry.getSchema(strict(schema)));
            scopes.put(gvk, spec.path("scope").asText());
        }
        return this;
    }

    /** Adds every CRD in the YAML files under {@code dir}. */
    CrdSchemas addAll(Path... files) {
        for (Path file : files) {
            for (Manifests.Doc doc : Manifests.read(file)) {
                if ("CustomResourceDefinition".equals(doc.kind())) {
                    add(doc.node());
                }
            }
        }
        return this;
    }

    boolean knows(Manifests.Doc doc) {
        return schemas.containsKey(gvk(doc));
    }

    boolean namespaced(Manifests.Doc doc) {
        return "Namespaced".equals(scopes.get(gvk(doc)));
    }

    /** Problems of {@code doc} against its CRD; the document must be of a kind added here. */
    List<String> validate(Manifests.Doc doc) {
        Schema schema = schemas.get(gvk(doc));
        if (schema == null) {
            throw new IllegalArgumentException("no CRD for " + gvk(doc));
        }
        List<String> problems = new ArrayList<>();
        for (Error e : schema.validate(doc.node())) {
            problems.add(doc + ": " + e);
        }
        return problems;
    }

    private static Gvk gvk(Manifests.Doc doc) {
        return new Gvk(doc.group(), doc.version(), doc.kind());
    }

    /** The schema as the API server applies it, in plain OpenAPI 3.0 (see the class comment). */
    static JsonNode strict(JsonNode schema) {
        ObjectNode copy = schema.deepCopy();
        visit(copy, true);
        return copy;
    }

    private static void visit(ObjectNode s, boolean resourceRoot) {
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean embedded = s.path("x-kubernetes-embedded-resource").asBoolean(false);
        if (s.path("x-kubernetes-int-or-string").asBoolean(false) && !s.has("anyOf") && !s.has("type")) {
            ArrayNode anyOf = s.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if ((resourceRoot || embedded) && (s.has("properties") || !preserve)) {
            ObjectNode props = s.has("properties") ? (ObjectNode) s.get("properties") : s.putObject("properties");
            if (!props.has("apiVersion")) {
                props.putObject("apiVersion").put("type", "string");
            }
            if (!props.has("kind")) {
                props.putObject("kind").put("type", "string");
            }
            if (!props.has("metadata")) {
                props.putObject("metadata").put("type", "object");
            }
        }
        if (s.get("properties") instanceof ObjectNode props) {
            props.fields().forEachRemaining(p -> {
                if (p.getValue() instanceof ObjectNode child) {
                    visit(child, false);
                }
            });
        }
        for (String key : List.of("items", "additionalProperties", "not")) {
            if (s.get(key) instanceof ObjectNode child) {
                visit(child, false);
            }
        }
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            if (s.get(key) instanceof ArrayNode list) {
                list.forEach(e -> {
                    if (e instanceof ObjectNode child) {
                        visit(child, false);
                    }
                });
            }
        }
        if (s.has("properties") && !preserve && !s.has("additionalProperties")) {
            s.set("additionalProperties", NODES.booleanNode(false));
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            if (it.next().startsWith("x-kubernetes-")) {
                it.remove();
            }
        }
    }
}
