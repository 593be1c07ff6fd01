package dev.stowage.engine.repository;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.chunker.Polynomial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repository config document (restic-format.md §3). */
class ConfigTest {
    private static final String MINI = "{\"version\":2,\"id\":\"b002f26d91d8b263c580401400b016e4191a0a4f916a524942d2d0f73ecf9fda\","
            + "\"chunker_polynomial\":\"2d14de679a197f\"}";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesAndWritesResticsConfigByteForByte() {
        Config c = Config.parse(utf8(MINI));
        assertEquals(2, c.version());
        assertEquals("b002f26d91d8b263c580401400b016e4191a0a4f916a524942d2d0f73ecf9fda", c.id());
        assertEquals(0x2d14de679a197fL, c.chunkerPolynomial().value());
        assertEquals(MINI, new String(c.toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void newConfigsRoundTripAndDiffer() {
        SecureRandom rnd = new SecureRandom();
        for (int version = 1; version <= 2; version++) {
            Config a = Config.create(version, rnd);
            Config b = Config.create(version, rnd);
            assertEquals(version, a.version());
            assertTrue(a.id().matches("[0-9a-f]{64}"), a.id());
            assertNotEquals(a.id(), b.id());
            assertEquals(53, a.chunkerPolynomial().degree());
            assertTrue(a.chunkerPolynomial().isIrreducible());
            assertEquals(14, a.chunkerPolynomial().toHex().length());
            assertEquals(a, Config.parse(a.toJson()));
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndUpperCaseHexIsAccepted() {
        Config c = Config.parse(utf8("{\"future\":[1],\"chunker_polynomial\":\"2D14DE679A197F\",\"id\":\"x\",\"version\":1}"));
        assertEquals(new Polynomial(0x2d14de679a197fL), c.chunkerPolynomial());
        assertEquals(1, c.version());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1, 100})
    void unsupportedVersionsAreRejected(int version) {
        StowageException e = assertThrows(StowageException.class, () -> Config.parse(
                utf8("{\"version\":" + version + ",\"id\":\"x\",\"chunker_polynomial\":\"2d14de679a197f\"}")));
        assertTrue(e.getMessage().contains("unsupported repository version " + version), e.getMessage());
    }

    @Test
    void reducibleOrMalformedPolynomialsAreRejected() {
        // 0x38f1e565e288df has degree 53 but is reducible (restic/chunker polynomials_test.go)
        StowageException e = assertThrows(StowageException.class, () -> Config.parse(
                utf8("{\"version\":2,\"id\":\"x\",\"chunker_polynomial\":\"38f1e565e288df\"}")));
        assertTrue(e.getMessage().contains("reducible"), e.getMessage());
        assertThrows(StowageException.class, () -> Config.parse(utf8("{\"version\":2,\"id\":\"x\",\"chunker_polynomial\":\"0x2d14de679a197f\"}")));
        assertThrows(StowageException.class, () -> Config.parse(utf8("{\"version\":2,\"id\":\"x\",\"chunker_polynomial\":\"ff\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{\"version\":2}", "{\"version\":2,\"id\":\"x\"}", "{\"version\":\"two\",\"id\":\"x\",\"chunker_polynomial\":\"2d14de679a197f\"}",
        "{\"version\":2,\"id\":\"x\",\"chunker_polynomial\":\"2d14de679a197f\""})
    void malformedConfigsAreRejectedAsTheRepositoryConfig(String json) {
        StowageException e = assertThrows(StowageException.class, () -> Config.parse(utf8(json)));
        assertTrue(e.getMessage().contains("config"), e.getMessage());
    }
}
