package dev.stowage.engine.chunker;

import dev.stowage.engine.StowageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolynomialTest {
    /** Irreducibility vectors from restic/chunker's polynomials_test.go. */
    @ParameterizedTest
    @CsvSource({
        "38f1e565e288df, false", "3DA3358B4DC173, true", "30a8295b9d5c91, false", "255f4350b962cb, false",
        "267f776110a235, false", "2f4dae10d41227, false", "2482734cacca49, true", "312daf4b284899, false",
        "29dfb6553d01d1, false", "3548245eb26257, false", "3199e7ef4211b3, false", "362f39017dae8b, false",
        "200d57aa6fdacb, false", "35e0a4efa1d275, false", "2ced55b026577f, false", "260b012010893d, false",
        "2df29cbcd59e9d, false", "3f2ac7488bd429, false", "3e5cb1711669fb, false", "226d8de57a9959, false",
        "3c8de80aaf5835, false", "2026a59efb219b, false", "39dfa4d13fb231, false", "3143d0464b3299, false",
    })
    void irreducibilityMatchesRestic(String hex, boolean irreducible) {
        assertEquals(irreducible, new Polynomial(Long.parseUnsignedLong(hex, 16)).isIrreducible(), hex);
    }

    @Test
    void smallPolynomials() {
        assertTrue(new Polynomial(0b111).isIrreducible(), "x^2+x+1");
        assertFalse(new Polynomial(0b101).isIrreducible(), "x^2+1 = (x+1)^2");
        assertTrue(new Polynomial(0b1011).isIrreducible(), "x^3+x+1");
        assertFalse(new Polynomial(0b1110).isIrreducible(), "divisible by x");
        assertFalse(new Polynomial(0).isIrreducible());
        assertFalse(new Polynomial(1).isIrreducible());
    }

    @Test
    void degree() {
        assertEquals(-1, new Polynomial(0).degree());
        assertEquals(0, new Polynomial(1).degree());
        assertEquals(41, new Polynomial(0x3af4b284899L).degree());
        assertEquals(53, new Polynomial(0x3DA3358B4DC173L).degree());
        assertEquals(63, new Polynomial(0x8000000000000000L).degree());
    }

    @Test
    void randomPolynomialsAreIrreducibleOfDegree53() {
        SecureRandom rnd = new SecureRandom();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Polynomial p = Polynomial.random(rnd);
            assertEquals(53, p.degree());
            assertTrue(p.isIrreducible());
            assertEquals(1, p.value() & 1);
            assertEquals(p, Polynomial.parse(p.toHex()));
            seen.add(p.value());
        }
        assertTrue(seen.size() > 1, "random polynomials should differ");
    }

    @Test
    void randomFollowsResticsDerivationProcedure() {
        // first candidate: 0x38f1e565e288df (reducible) with junk in bits 54..63;
        // second: 0x3DA3358B4DC173 with bit 53 and bit 0 cleared and junk above, which the procedure restores
        long reducible = 0x38f1e565e288dfL | 0xffc0000000000000L;
        long irreducible = (0x3DA3358B4DC173L & ~((1L << 53) | 1)) | 0x5540000000000000L;
        Polynomial p = Polynomial.random(new ScriptedRandom(reducible, irreducible));
        assertEquals(0x3DA3358B4DC173L, p.value());
    }

    @Test
    void parseAndToHexRoundTrip() {
        Polynomial p = Polynomial.parse("2d14de679a197f");
        assertEquals(0x2d14de679a197fL, p.value());
        assertEquals("2d14de679a197f", p.toHex());
        assertEquals("3da3358b4dc173", Polynomial.parse("3DA3358B4DC173").toHex());
        assertEquals("2d14de679a197f", Polynomial.parse("002d14de679a197f").toHex());
    }

    @Test
    void parseRejectsReduciblePolynomials() {
        StowageException ex = assertThrows(StowageException.class, () -> Polynomial.parse("38f1e565e288df"));
        assertTrue(ex.getMessage().contains("\"38f1e565e288df\""), ex.getMessage());
        assertTrue(ex.getMessage().contains("reducible"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x2d14de679a197f", "2d14de679a197g", " 2d14de679a197f", "+2d14de679a197f",
        "2d14de679a197f\n", "-1", "２d14de679a197f"})
    void parseRejectsNonHex(String text) {
        StowageException ex = assertThrows(StowageException.class, () -> Polynomial.parse(text));
        assertTrue(ex.getMessage().startsWith("invalid chunker polynomial"), ex.getMessage());
    }

    @Test
    void parseRejectsWrongDegreeAndOverflow() {
        StowageException ex = assertThrows(StowageException.class, () -> Polynomial.parse("1f"));
        assertTrue(ex.getMessage().contains("degree is 4"), ex.getMessage());
        assertThrows(StowageException.class, () -> Polynomial.parse("12d14de679a197f"));
        ex = assertThrows(StowageException.class, () -> Polynomial.parse("12345678901234567"));
        assertTrue(ex.getMessage().contains("64 bits"), ex.getMessage());
        assertThrows(StowageException.class, () -> Polynomial.parse(null));
    }

    /** GCD vectors from restic/chunker's polynomials_test.go. */
    @ParameterizedTest
    @CsvSource({
        "a, 32, 2", "0, 1, 1", "169, a, 1", "2, 2, 2", "a, 3, 3",
        "8000000000000000, 8000000000000000, 8000000000000000", "c, 5, 3", "30f, 13, 13",
        "3DA3358B4DC173, 3DA3358B4DC173, 3DA3358B4DC173", "3DA3358B4DC173, 230d2259defd, 1",
        "230d2259defd, 51b492b3eff2, 13",
    })
    void gcd(String a, String b, String expected) {
        long x = Long.parseUnsignedLong(a, 16);
        long y = Long.parseUnsignedLong(b, 16);
        assertEquals(Long.parseUnsignedLong(expected, 16), Polynomial.gcd(x, y));
        assertEquals(Long.parseUnsignedLong(expected, 16), Polynomial.gcd(y, x));
    }

    /** Mod and MulMod vectors from restic/chunker's polynomials_test.go. */
    @Test
    void modAndMulMod() {
        assertEquals(10, Polynomial.mod(10, 50));
        assertEquals(0, Polynomial.mod(0, 1));
        assertEquals(1, Polynomial.mod(0b101101001, 0b1010));
        assertEquals(0, Polynomial.mod(2, 2));
        assertEquals(0, Polynomial.mod(0x8000000000000000L, 0x8000000000000000L));
        assertEquals(0, Polynomial.mod(0b1100001111, 0b10011));
        assertEquals(0x22, Polynomial.mulMod(0x1230, 0x230, 0x55));
        assertEquals(0x425ae8595b7aL, Polynomial.mulMod(0x0eae8c07dbbb3026L, 0xd5d6db9de04771deL, 0xdd2bda3b77c9L));
    }

    /** A SecureRandom that hands out the given values as little-endian 8-byte blocks. */
    private static final class ScriptedRandom extends SecureRandom {
        private final Deque<Long> values = new ArrayDeque<>();

        ScriptedRandom(long... values) {
            for (long v : values) {
                this.values.add(v);
            }
        }

        @Override
        public void nextBytes(byte[] bytes) {
            assertEquals(8, bytes.length);
            long v = values.removeFirst();
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (v >>> (8 * i));
            }
        }
    }
}
