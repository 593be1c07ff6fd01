package dev.stowage.engine.crypto;

import dev.stowage.engine.StowageException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScryptParamsTest {
    @Test
    void defaultsAreWhatResticWrites() {
        assertEquals(new ScryptParams(32768, 8, 1), ScryptParams.defaults());
    }

    @Test
    void acceptsValidParameters() {
        new ScryptParams(2, 1, 1);
        new ScryptParams(32768, 8, 6);
        new ScryptParams(65536, 8, 1);
        new ScryptParams(1 << 20, 8, 1);
        new ScryptParams(32768, 1, 1_000_000 / 1024);
    }

    @Test
    void rejectsInvalidParametersWithClearMessages() {
        assertInvalid("N must be a power of two greater than 1, got 0", 0, 8, 1);
        assertInvalid("N must be a power of two greater than 1, got 1", 1, 8, 1);
        assertInvalid("N must be a power of two greater than 1, got 1000", 1000, 8, 1);
        assertInvalid("N must be a power of two greater than 1, got -2", -2, 8, 1);
        assertInvalid("r must be at least 1, got 0", 32768, 0, 1);
        assertInvalid("p must be at least 1, got 0", 32768, 8, 0);
        assertInvalid("r * p must be below 2^30", 2, 1 << 15, 1 << 15);
        assertInvalid("N must be below 65536 when r is 1", 65536, 1, 1);
        assertInvalid("more memory than one Java array can hold", 1 << 30, 8, 1);
    }

    private static void assertInvalid(String expectedPart, int n, int r, int p) {
        StowageException ex = assertThrows(StowageException.class, () -> new ScryptParams(n, r, p));
        assertTrue(ex.getMessage().startsWith("invalid scrypt parameters: "), ex.getMessage());
        assertTrue(ex.getMessage().contains(expectedPart), ex.getMessage());
    }
}
