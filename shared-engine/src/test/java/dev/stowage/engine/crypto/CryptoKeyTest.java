package dev.stowage.engine.crypto;

import dev.stowage.engine.StowageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CryptoKeyTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    /** msg, r, k, nonce, mac: the four examples of Bernstein's Poly1305-AES paper (2005-03-29). */
    private static final String[][] POLY1305_AES_VECTORS = {
        {"f3f6",
            "851fc40c3467ac0be05cc20404f3f700",
            "ec074c835580741701425b623235add6",
            "fb447350c4e868c52ac3275cf9d4327e",
            "f4c633c3044fc145f84f335cb81953de"},
        {"",
            "a0f3080000f46400d0c7e9076c834403",
            "75deaa25c09f208e1dc4ce6b5cad3fbf",
            "61ee09218d29b0aaed7e154a2c5509cc",
            "dd3fab2251f11ac759f0887129cc2ee7"},
        {"663cea190ffb83d89593f3f476b6bc24d7e679107ea26adb8caf6652d0656136",
            "48443d0bb0d21109c89a100b5ce2c208",
            "6acb5f61a7176dd320c5c1eb2edcdc74",
            "ae212a55399729595dea458bc621ff0e",
            "0ee1c16bb73f0f4fd19881753c01cdbe"},
        {"ab0812724a7f1e342742cbed374d94d136c6b8795d45b3819830f2c04491faf0"
            + "990c62e48b8018b2c3e4a0fa3134cb67fa83e158c994d961c4cb21095c1bf9",
            "12976a08c4426d0ce8a82407c4f48207",
            "e1a5668a4d5b66a5f68cc5424ed5982d",
            "9ae831e743978d3a23527c7128149e3a",
            "5154ad0d2cb26e01274fc51148491f1b"},
    };

    @Test
    void poly1305AesMatchesBernsteinTestVectors() {
        for (String[] v : POLY1305_AES_VECTORS) {
            byte[] mac = Poly1305Aes.tag(hex(v[0]), hex(v[3]), hex(v[2]), hex(v[1]));
            assertEquals(v[4], HEX.formatHex(mac), "Poly1305-AES of message " + v[0]);
        }
    }

    @Test
    void poly1305AesClampsUnclampedR() {
        String[] v = POLY1305_AES_VECTORS[2];
        byte[] r = hex(v[1]);
        // set exactly the bits that clamping clears; the tag must not change
        r[3] |= (byte) 0xf0;
        r[4] |= 0x03;
        r[15] |= (byte) 0xf0;
        byte[] mac = Poly1305Aes.tag(hex(v[0]), hex(v[3]), hex(v[2]), r);
        assertEquals(v[4], HEX.formatHex(mac));
    }

    // restic's TestCrypto vector (internal/crypto/crypto_int_test.go); r is deliberately unclamped
    private static CryptoKey resticTestKey() {
        return CryptoKey.of(
                hex("303e8687b1d7db18421bdc6bb8588ccadac4d59ee87b8ff70c44e635790cafef"),
                hex("ef4d8824cb80b2bcc5fbff8a9b12a42c"),
                hex("cc8d4b948ee0ebfe1d415de921d10353"));
    }

    private static final String RESTIC_CIPHERTEXT =
            "69fb41c62d12def4593bd71757138606338f621aeaeb39da0fe4f99233f8037a54ea63338a813bcf3f75d8c3cc75dddf8750";

    @Test
    void decryptsResticTestVector() {
        byte[] plain = resticTestKey().open(hex(RESTIC_CIPHERTEXT));
        assertEquals("Dies ist ein Test!", new String(plain, StandardCharsets.UTF_8));
    }

    @Test
    void resticTestVectorRejectsModifiedMacAndCiphertext() {
        CryptoKey key = resticTestKey();
        byte[] badMac = hex(RESTIC_CIPHERTEXT);
        badMac[badMac.length - 8] ^= 0x23;
        assertThrows(CiphertextVerificationException.class, () -> key.open(badMac));
        byte[] badCt = hex(RESTIC_CIPHERTEXT);
        badCt[16 + 5] ^= (byte) 0x85;
        assertThrows(CiphertextVerificationException.class, () -> key.open(badCt));
    }

    @Test
    void sealProducesWhatResticTestKeyOpens() {
        CryptoKey key = resticTestKey();
        byte[] sealed = key.seal("Dies ist ein Test!".getBytes(StandardCharsets.UTF_8));
        assertEquals(18 + CryptoKey.OVERHEAD, sealed.length);
        assertEquals("Dies ist ein Test!", new String(key.open(sealed), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 33, 1000, 16383, 16384, 16385, 100_000, (1 << 20) + 3})
    void roundTripsAllSizes(int size) {
        CryptoKey key = CryptoKey.random();
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        byte[] sealed = key.seal(plain);
        assertEquals(size + CryptoKey.OVERHEAD, sealed.length);
        if (size >= 16) {
            assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 0, 16), Arrays.copyOfRange(sealed, 16, 32)),
                    "ciphertext must differ from plaintext");
        }
        assertArrayEquals(plain, key.open(sealed));
    }

    @Test
    void sealAndOpenHonourOffsetAndLength() {
        CryptoKey key = CryptoKey.random();
        byte[] buffer = new byte[5000];
        new Random(7).nextBytes(buffer);
        byte[] sealed = key.seal(buffer, 100, 3000);
        assertArrayEquals(Arrays.copyOfRange(buffer, 100, 3100), key.open(sealed));

        byte[] embedded = new byte[sealed.length + 50];
        System.arraycopy(sealed, 0, embedded, 20, sealed.length);
        assertArrayEquals(Arrays.copyOfRange(buffer, 100, 3100), key.open(embedded, 20, sealed.length));
        assertThrows(IndexOutOfBoundsException.class, () -> key.open(embedded, 60, sealed.length));
    }

    @Test
    void everySingleBitFlipIsDetected() {
        CryptoKey key = CryptoKey.random();
        byte[] sealed = key.seal("a short plaintext of forty bytes.........".getBytes(StandardCharsets.UTF_8));
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            int b = bit;
            CiphertextVerificationException ex = assertThrows(CiphertextVerificationException.class,
                    () -> key.open(tampered), "flipped bit " + b + " was not detected");
            assertTrue(ex.getMessage().startsWith("ciphertext verification failed"), ex.getMessage());
        }
    }

    @Test
    void truncatedOrExtendedDataIsRejected() {
        CryptoKey key = CryptoKey.random();
        byte[] sealed = key.seal(new byte[100]);
        assertThrows(CiphertextVerificationException.class, () -> key.open(sealed, 0, sealed.length - 1));
        assertThrows(CiphertextVerificationException.class, () -> key.open(sealed, 1, sealed.length - 1));
        assertThrows(CiphertextVerificationException.class, () -> key.open(Arrays.copyOf(sealed, sealed.length + 1)));
    }

    @Test
    void inputShorterThanOverheadIsRejectedClearly() {
        CryptoKey key = CryptoKey.random();
        for (int len = 0; len < CryptoKey.OVERHEAD; len++) {
            byte[] data = new byte[len];
            Arrays.fill(data, (byte) 7);
            CiphertextVerificationException ex =
                    assertThrows(CiphertextVerificationException.class, () -> key.open(data));
            assertTrue(ex.getMessage().startsWith("ciphertext verification failed"), ex.getMessage());
            assertTrue(ex.getMessage().contains("shorter than the 32 bytes"), ex.getMessage());
        }
        // exactly the overhead is an empty plaintext
        assertEquals(0, key.open(key.seal(new byte[0])).length);
    }

    @Test
    void allZeroIvIsRejectedEvenWithAValidMac() {
        CryptoKey key = CryptoKey.random();
        byte[] sealed = key.seal("zero iv".getBytes(StandardCharsets.UTF_8));
        Arrays.fill(sealed, 0, 16, (byte) 0);
        // give it a MAC that is correct for the zero IV, so only the IV check can reject it
        int ctLen = sealed.length - CryptoKey.OVERHEAD;
        new Poly1305Aes(key.macK(), key.macR()).tag(sealed, 0, sealed, 16, ctLen, sealed, 16 + ctLen);
        CiphertextVerificationException ex =
                assertThrows(CiphertextVerificationException.class, () -> key.open(sealed));
        assertTrue(ex.getMessage().contains("IV is all zero"), ex.getMessage());
    }

    @Test
    void everySealUsesAFreshNonZeroIv() {
        CryptoKey key = CryptoKey.random();
        byte[] plain = new byte[64];
        byte[] first = key.seal(plain);
        byte[] second = key.seal(plain);
        assertFalse(Arrays.equals(Arrays.copyOf(first, 16), Arrays.copyOf(second, 16)));
        assertFalse(Arrays.equals(first, second));
        assertFalse(CryptoKey.isZero(first, 0, 16));
    }

    @Test
    void anotherKeyCannotOpen() {
        byte[] sealed = CryptoKey.random().seal(new byte[10]);
        assertThrows(CiphertextVerificationException.class, () -> CryptoKey.random().open(sealed));
    }

    @Test
    void randomKeyHasClampedRAndNonZeroParts() {
        for (int i = 0; i < 20; i++) {
            CryptoKey key = CryptoKey.random();
            assertArrayEquals(Poly1305Aes.clamp(key.macR()), key.macR(), "r must be stored clamped");
            assertFalse(CryptoKey.isZero(key.encryptKey(), 0, 32));
            assertFalse(CryptoKey.isZero(key.macK(), 0, 16));
        }
    }

    @Test
    void toJsonHasResticLayout() {
        CryptoKey key = CryptoKey.of(
                hex("78df0cb3f60f07b4225afeb0958aed750d5b54c5514aca469cb1920ee2e5390a"),
                hex("8fbce96894b6393b72f652b1704c99d2"),
                hex("ebf5dd05ac60ed0e6092a006c0a0310b"));
        assertEquals("{\"mac\":{\"k\":\"j7zpaJS2OTty9lKxcEyZ0g==\",\"r\":\"6/XdBaxg7Q5gkqAGwKAxCw==\"},"
                        + "\"encrypt\":\"eN8Ms/YPB7QiWv6wlYrtdQ1bVMVRSspGnLGSDuLlOQo=\"}",
                new String(key.toJson(), StandardCharsets.US_ASCII));
    }

    @Test
    void jsonRoundTripKeepsAllParts() {
        CryptoKey key = CryptoKey.random();
        CryptoKey back = CryptoKey.fromJson(key.toJson());
        assertArrayEquals(key.encryptKey(), back.encryptKey());
        assertArrayEquals(key.macK(), back.macK());
        assertArrayEquals(key.macR(), back.macR());
        assertArrayEquals(key.toJson(), back.toJson());
        assertArrayEquals(new byte[] {1, 2, 3}, back.open(key.seal(new byte[] {1, 2, 3})));
    }

    @Test
    void fromJsonAcceptsAnyFieldOrderWhitespaceAndUnknownFields() {
        String json = "{ \"encrypt\" : \"eN8Ms/YPB7QiWv6wlYrtdQ1bVMVRSspGnLGSDuLlOQo=\", \"extra\": [1, {\"a\": 2}],\n"
                + "  \"mac\": { \"r\": \"6/XdBaxg7Q5gkqAGwKAxCw==\", \"x\": null, \"k\": \"j7zpaJS2OTty9lKxcEyZ0g==\" } }\n";
        CryptoKey key = CryptoKey.fromJson(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("78df0cb3f60f07b4225afeb0958aed750d5b54c5514aca469cb1920ee2e5390a",
                HEX.formatHex(key.encryptKey()));
        assertEquals("8fbce96894b6393b72f652b1704c99d2", HEX.formatHex(key.macK()));
        assertEquals("ebf5dd05ac60ed0e6092a006c0a0310b", HEX.formatHex(key.macR()));
    }

    @Test
    void fromJsonRejectsMalformedInputWithClearMessages() {
        assertMessage("not valid JSON", "invalid master key JSON", "{\"mac\":");
        assertMessage("text", "invalid master key JSON", "hello");
        assertMessage("array", "expected a JSON object", "[1]");
        assertMessage("empty object", "\"encrypt\" field is missing", "{}");
        assertMessage("missing r", "\"mac.r\" field is missing",
                "{\"mac\":{\"k\":\"j7zpaJS2OTty9lKxcEyZ0g==\"},\"encrypt\":\"eN8Ms/YPB7QiWv6wlYrtdQ1bVMVRSspGnLGSDuLlOQo=\"}");
        assertMessage("bad base64", "\"mac.k\" is not valid base64",
                "{\"mac\":{\"k\":\"!!!\",\"r\":\"6/XdBaxg7Q5gkqAGwKAxCw==\"},\"encrypt\":\"eN8Ms/YPB7QiWv6wlYrtdQ1bVMVRSspGnLGSDuLlOQo=\"}");
        assertMessage("number", "\"encrypt\" must be a base64 string",
                "{\"mac\":{\"k\":\"j7zpaJS2OTty9lKxcEyZ0g==\",\"r\":\"6/XdBaxg7Q5gkqAGwKAxCw==\"},\"encrypt\":5}");
        assertMessage("short key", "encryption key must be 32 bytes, got 16",
                "{\"mac\":{\"k\":\"j7zpaJS2OTty9lKxcEyZ0g==\",\"r\":\"6/XdBaxg7Q5gkqAGwKAxCw==\"},\"encrypt\":\"j7zpaJS2OTty9lKxcEyZ0g==\"}");
        assertMessage("zero k", "MAC key k is all zero",
                "{\"mac\":{\"k\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"r\":\"6/XdBaxg7Q5gkqAGwKAxCw==\"},\"encrypt\":\"eN8Ms/YPB7QiWv6wlYrtdQ1bVMVRSspGnLGSDuLlOQo=\"}");
        assertMessage("trailing", "after the JSON object",
                "{\"mac\":{\"k\":\"j7zpaJS2OTty9lKxcEyZ0g==\",\"r\":\"6/XdBaxg7Q5gkqAGwKAxCw==\"},\"encrypt\":\"eN8Ms/YPB7QiWv6wlYrtdQ1bVMVRSspGnLGSDuLlOQo=\"} {}");
    }

    private static void assertMessage(String what, String expectedPart, String json) {
        StowageException ex = assertThrows(StowageException.class,
                () -> CryptoKey.fromJson(json.getBytes(StandardCharsets.UTF_8)), what);
        assertTrue(ex.getMessage().contains(expectedPart), what + ": " + ex.getMessage());
    }

    @Test
    void ofRejectsWrongLengthsAndZeroParts() {
        byte[] e = new byte[32];
        byte[] k = new byte[16];
        byte[] r = new byte[16];
        Arrays.fill(e, (byte) 1);
        Arrays.fill(k, (byte) 2);
        Arrays.fill(r, (byte) 3);
        CryptoKey.of(e, k, r);
        assertThrows(StowageException.class, () -> CryptoKey.of(new byte[31], k, r));
        assertThrows(StowageException.class, () -> CryptoKey.of(e, new byte[17], r));
        assertThrows(StowageException.class, () -> CryptoKey.of(e, k, new byte[15]));
        assertThrows(StowageException.class, () -> CryptoKey.of(new byte[32], k, r));
        assertThrows(StowageException.class, () -> CryptoKey.of(e, new byte[16], r));
        assertThrows(StowageException.class, () -> CryptoKey.of(e, k, new byte[16]));
        assertThrows(StowageException.class, () -> CryptoKey.fromScrypt(new byte[63]));
    }

    @Test
    void keyIsNotAffectedByCallerModifyingItsArrays() {
        byte[] e = new byte[32];
        byte[] k = new byte[16];
        byte[] r = new byte[16];
        Arrays.fill(e, (byte) 1);
        Arrays.fill(k, (byte) 2);
        Arrays.fill(r, (byte) 3);
        CryptoKey key = CryptoKey.of(e, k, r);
        byte[] sealed = key.seal(new byte[] {9});
        e[0] = 5;
        k[0] = 5;
        r[0] = 5;
        assertArrayEquals(new byte[] {9}, key.open(sealed));
    }

    @Test
    void fromScryptSplitsTheDerivedBytes() {
        byte[] derived = new byte[64];
        for (int i = 0; i < 64; i++) {
            derived[i] = (byte) (i + 1);
        }
        CryptoKey key = CryptoKey.fromScrypt(derived);
        assertArrayEquals(Arrays.copyOfRange(derived, 0, 32), key.encryptKey());
        assertArrayEquals(Arrays.copyOfRange(derived, 32, 48), key.macK());
        assertArrayEquals(Arrays.copyOfRange(derived, 48, 64), key.macR());
    }

    @Test
    void oneKeyCanBeUsedFromSeveralThreads() throws Exception {
        CryptoKey key = CryptoKey.random();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 200; i++) {
                        byte[] plain = new byte[rnd.nextInt(70_000)];
                        rnd.nextBytes(plain);
                        if (!Arrays.equals(plain, key.open(key.seal(plain)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sealInPlaceAndOpenInPlaceAgreeWithTheCopyingForms() {
        CryptoKey key = CryptoKey.random();
        Random random = new Random(7);
        for (int len : new int[] {0, 1, 15, 16, 17, 16 * 1024, 16 * 1024 + 5, 100_000}) {
            byte[] plain = new byte[len];
            random.nextBytes(plain);
            // a blob in the middle of a larger buffer, as in a pack
            byte[] buf = new byte[7 + len + CryptoKey.OVERHEAD + 3];
            System.arraycopy(plain, 0, buf, 7 + CryptoKey.IV_SIZE, len);
            assertEquals(len + CryptoKey.OVERHEAD, key.sealInPlace(buf, 7, len));
            byte[] sealed = Arrays.copyOfRange(buf, 7, 7 + len + CryptoKey.OVERHEAD);
            assertArrayEquals(plain, key.open(sealed), "open of sealInPlace, length " + len);

            byte[] copy = key.seal(plain);
            byte[] pack = new byte[5 + copy.length];
            System.arraycopy(copy, 0, pack, 5, copy.length);
            assertEquals(len, key.openInPlace(pack, 5, copy.length));
            assertArrayEquals(plain, Arrays.copyOfRange(pack, 5 + CryptoKey.IV_SIZE, 5 + CryptoKey.IV_SIZE + len),
                    "openInPlace of seal, length " + len);
        }
    }

    @Test
    void openInPlaceLeavesDamagedDataAsItWas() {
        CryptoKey key = CryptoKey.random();
        byte[] sealed = key.seal("some blob".getBytes(StandardCharsets.UTF_8));
        sealed[20] ^= 1;
        byte[] before = sealed.clone();
        assertThrows(CiphertextVerificationException.class, () -> key.openInPlace(sealed, 0, sealed.length));
        assertArrayEquals(before, sealed);
    }
}
