package dev.stowage.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/** The Stash manifests under src/test/resources, and their conversion by apiVersion alone. */
final class StashManifests {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StashManifests() {
    }

    static String text(String name) {
        try (InputStream in = StashManifests.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest with its top-level apiVersion changed from Stash's to Stowage's, and nothing else. */
    static String converted(String name) {
        String stash = text(name);
        String stowage = stash.replaceFirst("(?m)^apiVersion: stash\\.appscode\\.com/v1(alpha1|beta1)$",
                "apiVersion: stowage.dev/v1alpha1");
        assertTrue(!stowage.equals(stash), name + " is not a Stash manifest");
        return stowage;
    }

    static <T> T load(String name, Class<T> type) {
        return SERIALIZATION.unmarshal(converted(name), type);
    }

    /** The converted manifest as a JSON tree. */
    static JsonNode tree(String name) {
        return SERIALIZATION.convertValue(SERIALIZATION.unmarshal(converted(name), Map.class), JsonNode.class);
    }

    /**
     * Asserts that every field of {@code expected} is in {@code actual} with the same value (arrays
     * element by element): nothing renamed or dropped; {@code actual} may have more (defaults, metadata).
     */
    static void assertContains(JsonNode expected, JsonNode actual, String path) {
        assertNotNull(actual, path + " is missing");
        if (expected.isObject()) {
            assertTrue(actual.isObject(), path + " is not an object: " + actual);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertContains(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey());
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), path + " is not an array: " + actual);
            assertEquals(expected.size(), actual.size(), path + " size");
            for (int i = 0; i < expected.size(); i++) {
                assertContains(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else if (expected.isNumber()) {
            assertTrue(actual.isNumber(), path + " is not a number: " + actual);
            assertEquals(0, expected.decimalValue().compareTo(actual.decimalValue()), path + ": " + actual);
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
