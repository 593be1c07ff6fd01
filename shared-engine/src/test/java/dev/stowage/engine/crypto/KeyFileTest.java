package dev.stowage.engine.crypto;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key files, checked against the mini-v2-repo written by restic 0.14.0 (restic-format.md §13.3). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyFileTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String MINI_KEY_ID = "8bb9cc09baf0e26213bd17b8e1e17989ef4fcf84e551ee2b2d77cbd7a1a5dc3b";
    private static final String MINI_KEY_JSON = "{\"created\":\"2026-11-21T04:54:38.604748758Z\","
            + "\"username\":\"root\",\"hostname\":\"vm\",\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":6,"
            + "\"salt\":\"ZfCD1NbY/LRQ+ah1I/EeDbN2EPSmPPkcWyFcOlPQ83N6QQk+Fqp/VSzJwQAnS1k1HnMiZFXnTQ/rv4WDueAnDg==\","
            + "\"data\":\"oeLxGIOowip+MeZij+td04P678qo3o3S9bXjGR2HwpuGeoIPDNKGRwf75wdouaojngSclEbdQf49XtQfdycM5iWSO0Sq"
            + "HDWCZYpqdYOg7/hj0gwIxYMemLRT6JgmzCqOSAmTGGYBNF1HpWCKRHZIl9qrpsZJ7o9C/vYJwLTl9KRmGQKHL11xsC+JFmMk"
            + "HnEk9GYLkqhz3FlapO9gSWH7Dw==\"}";
    private static final String MINI_CONFIG_HEX = "b30d1369a1a287c9f6e6173f423af025b1a8cdfaf1b35c64018763189a8b8499"
            + "322492714654b78bd493194717a8a058c341b289fb4a2ce42ab2042f285d8d437dcbcafb13fc79fcd36cc7b7f4a8f0da"
            + "bf3a3e73a440ed8e6f33aa3d5855aff7f9ee2a2b1b9f12073fe9dd3ca6d1849f5954a0f86c108b385f2685ae62fa2d81"
            + "a0f0a4258ca9a2751c8b006be942b9108ac167ac032f230b698b33";
    private static final String MINI_CONFIG_JSON = "{\"version\":2,"
            + "\"id\":\"b002f26d91d8b263c580401400b016e4191a0a4f916a524942d2d0f73ecf9fda\","
            + "\"chunker_polynomial\":\"2d14de679a197f\"}";
    private static final String MINI_SNAPSHOT_HEX = "9c9655796a8990c3800f89e2784f84e966407a8c1e354737bb14db4c0668c0a6"
            + "4d00f7d2bc6368a4bfa2abf94438b3b055aee4bd9f759235b6c3d50c716bc8d10d7d7a466499fd3759a4f568fdebeeae"
            + "0bf5cf5655c8ee6f933fc6dbd5447fca8339a4a95e55b6f533fb09f202a3164b735f511bd3926afb815a7a10d61cf2ae"
            + "46e6b0dba9f6702dee1941e02cc95b9f0cd2a6465f47e60edafac0b831010848b2f66e0b5e9e1d15337e22ee30d294ed"
            + "48a263aef44edb1de7";

    /** Cheap parameters for tests that create keys (the real ones take about a second each). */
    private static final ScryptParams FAST = new ScryptParams(1024, 8, 1);

    private KeyFile miniKey;
    private CryptoKey miniMaster;

    @BeforeAll
    void unlockMiniRepoKeyOnce() {
        miniKey = KeyFile.parse(MINI_KEY_JSON.getBytes(StandardCharsets.UTF_8));
        miniMaster = miniKey.unlock("test123");
    }

    @Test
    void miniRepoKeyFileParsesAndReserialisesByteForByte() throws Exception {
        byte[] json = MINI_KEY_JSON.getBytes(StandardCharsets.UTF_8);
        assertEquals(439, json.length);
        assertEquals(MINI_KEY_ID, sha256(json));
        assertEquals("2026-11-21T04:54:38.604748758Z", miniKey.created());
        assertEquals("root", miniKey.username());
        assertEquals("vm", miniKey.hostname());
        assertEquals(new ScryptParams(32768, 8, 6), miniKey.params());
        assertEquals(64, miniKey.salt().length);
        assertArrayEquals(json, miniKey.toJson());
        assertEquals(MINI_KEY_ID, sha256(miniKey.toJson()));
    }

    @Test
    void scryptDerivesTheSpecifiedUserKey() {
        byte[] derived = KeyFile.scrypt("test123", miniKey.salt(), miniKey.params());
        assertEquals("c622128503bad191c00bfa7e7a755fc4fdc8037f5ad90deaacab50226d5fd96c"
                + "3c6865ec5d2bfbffe131c603b72d032f4b8b6443b3126e99d2d926005b449ec7", HEX.formatHex(derived));
    }

    @Test
    void unlockYieldsTheMiniRepoMasterKey() {
        assertEquals("78df0cb3f60f07b4225afeb0958aed750d5b54c5514aca469cb1920ee2e5390a",
                HEX.formatHex(miniMaster.encryptKey()));
        assertEquals("8fbce96894b6393b72f652b1704c99d2", HEX.formatHex(miniMaster.macK()));
        assertEquals("ebf5dd05ac60ed0e6092a006c0a0310b", HEX.formatHex(miniMaster.macR()));
        assertEquals("{\"mac\":{\"k\":\"j7zpaJS2OTty9lKxcEyZ0g==\",\"r\":\"6/XdBaxg7Q5gkqAGwKAxCw==\"},"
                        + "\"encrypt\":\"eN8Ms/YPB7QiWv6wlYrtdQ1bVMVRSspGnLGSDuLlOQo=\"}",
                new String(miniMaster.toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void wrongPasswordIsReportedAsSuch() {
        WrongPasswordException ex = assertThrows(WrongPasswordException.class, () -> miniKey.unlock("test124"));
        assertTrue(ex.getMessage().contains("wrong password"), ex.getMessage());
    }

    @Test
    void masterKeyDecryptsMiniRepoConfigAndSnapshot() {
        byte[] config = HEX.parseHex(MINI_CONFIG_HEX);
        assertEquals(155, config.length);
        assertEquals(MINI_CONFIG_JSON, new String(miniMaster.open(config), StandardCharsets.UTF_8));

        // snapshots are 0x02 (compressed) followed by a zstd frame in repository v2
        byte[] snapshot = miniMaster.open(HEX.parseHex(MINI_SNAPSHOT_HEX));
        assertEquals(185 - CryptoKey.OVERHEAD, snapshot.length);
        assertEquals("0228b52ffd", HEX.formatHex(snapshot, 0, 5));
    }

    @Test
    void specTranscriptionMatchesTheMiniRepoArchive() throws Exception {
        Path archive = SharedData.dir().resolve("restic-golden/mini-v2-repo.tar.gz");
        assertTrue(Files.isRegularFile(archive), "golden data missing: " + archive);
        Map<String, byte[]> files = SharedData.untarGz(archive);
        byte[] key = files.get("mini-v2-repo/keys/" + MINI_KEY_ID);
        assertArrayEquals(MINI_KEY_JSON.getBytes(StandardCharsets.UTF_8), key);
        byte[] config = files.get("mini-v2-repo/config");
        assertEquals(MINI_CONFIG_JSON, new String(miniMaster.open(config), StandardCharsets.UTF_8));
        // every encrypted file of the repository authenticates under the master key
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String name = e.getKey();
            if (name.contains("/snapshots/") || name.contains("/index/")) {
                assertEquals(name.substring(name.lastIndexOf('/') + 1), sha256(e.getValue()), name);
                miniMaster.open(e.getValue());
            }
        }
    }

    @Test
    void createThenUnlockRoundTrips() throws Exception {
        CryptoKey master = CryptoKey.random();
        KeyFile created = KeyFile.create(master, "correct horse", FAST, "alice", "host-1",
                "2024-05-06T07:08:09.123456789Z");
        assertEquals(FAST, created.params());
        assertEquals(64, created.salt().length);
        assertEquals(master.toJson().length + CryptoKey.OVERHEAD, created.data().length);

        KeyFile parsed = KeyFile.parse(created.toJson());
        assertEquals(created, parsed);
        assertArrayEquals(created.toJson(), parsed.toJson());
        assertArrayEquals(master.toJson(), parsed.unlock("correct horse").toJson());
        assertThrows(WrongPasswordException.class, () -> parsed.unlock("correct horse "));

        String text = new String(created.toJson(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"created\":\"2024-05-06T07:08:09.123456789Z\",\"username\":\"alice\","
                + "\"hostname\":\"host-1\",\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,\"salt\":\""), text);
        assertTrue(text.endsWith("\"}"), text);
    }

    @Test
    void saltsAreRandom() {
        CryptoKey master = CryptoKey.random();
        KeyFile a = KeyFile.create(master, "pw", FAST, "u", "h", "t");
        KeyFile b = KeyFile.create(master, "pw", FAST, "u", "h", "t");
        assertNotEquals(HEX.formatHex(a.salt()), HEX.formatHex(b.salt()));
    }

    @Test
    void passwordIsUsedAsUtf8() {
        CryptoKey master = CryptoKey.random();
        KeyFile key = KeyFile.create(master, "pässwört🔑", FAST, "u", "h", "t");
        assertArrayEquals(master.toJson(), key.unlock("pässwört🔑").toJson());
        assertThrows(WrongPasswordException.class, () -> key.unlock("passwort"));
    }

    @Test
    void stringsAreEscapedLikeGo() {
        KeyFile key = new KeyFile("t", "a\"b\\c<d>&e\n\t\u0001\u2028", "höst", FAST, new byte[64], new byte[40]);
        String json = new String(key.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"username\":\"a\\\"b\\\\c\\u003cd\\u003e\\u0026e\\n\\t\\u0001\\u2028\""), json);
        assertTrue(json.contains("\"hostname\":\"höst\""), json);
        KeyFile back = KeyFile.parse(key.toJson());
        assertEquals(key.username(), back.username());
        assertEquals(key.hostname(), back.hostname());
        assertArrayEquals(key.toJson(), back.toJson());
    }

    @Test
    void parseAcceptsOtherValidParamsAndIgnoresUnknownFields() {
        String json = "{\"kdf\":\"scrypt\",\"N\":65536,\"r\":8,\"p\":1,\"salt\":\"" + b64(64) + "\","
                + "\"data\":\"" + b64(100) + "\",\"comment\":{\"x\":[1,2]},\"created\":null}";
        KeyFile key = KeyFile.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(new ScryptParams(65536, 8, 1), key.params());
        assertEquals("", key.created());
        assertEquals("", key.username());
    }

    @Test
    void parseRejectsBadKeyFilesWithClearMessages() {
        String salt = b64(64);
        String data = b64(100);
        assertRejected("not JSON", "not valid JSON", "{\"kdf\":");
        assertRejected("garbage", "not valid JSON", "ceci n'est pas une clé");
        assertRejected("array", "expected a JSON object", "[]");
        assertRejected("other kdf", "key derivation function \"argon2id\" is not supported",
                "{\"kdf\":\"argon2id\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"}");
        assertRejected("no kdf", "\"kdf\" field is missing",
                "{\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"}");
        assertRejected("short salt", "salt must be 64 bytes, found 32",
                "{\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"" + b64(32) + "\",\"data\":\"" + data + "\"}");
        assertRejected("bad salt", "\"salt\" is not valid base64",
                "{\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"%%%\",\"data\":\"" + data + "\"}");
        assertRejected("no data", "\"data\" field is missing",
                "{\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\"}");
        assertRejected("short data", "only 10 bytes long",
                "{\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + b64(10) + "\"}");
        assertRejected("N not power of two", "N must be a power of two greater than 1, got 1000",
                "{\"kdf\":\"scrypt\",\"N\":1000,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"}");
        assertRejected("N as string", "\"N\" must be an integer",
                "{\"kdf\":\"scrypt\",\"N\":\"32768\",\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"}");
        assertRejected("huge N", "out of range",
                "{\"kdf\":\"scrypt\",\"N\":4294967296,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"}");
        assertRejected("p zero", "p must be at least 1",
                "{\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":0,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"}");
        assertRejected("trailing object", "after the JSON object",
                "{\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"} {}");
        assertRejected("trailing garbage", "not valid JSON",
                "{\"kdf\":\"scrypt\",\"N\":32768,\"r\":8,\"p\":1,\"salt\":\"" + salt + "\",\"data\":\"" + data + "\"}x");
    }

    private static void assertRejected(String what, String expectedPart, String json) {
        StowageException ex = assertThrows(StowageException.class,
                () -> KeyFile.parse(json.getBytes(StandardCharsets.UTF_8)), what);
        assertTrue(ex.getMessage().contains(expectedPart), what + ": " + ex.getMessage());
    }

    @Test
    void recordCopiesItsArrays() {
        byte[] salt = new byte[64];
        byte[] data = new byte[40];
        KeyFile key = new KeyFile("t", "u", "h", FAST, salt, data);
        salt[0] = 1;
        data[0] = 1;
        key.salt()[1] = 1;
        key.data()[1] = 1;
        assertArrayEquals(new byte[64], key.salt());
        assertArrayEquals(new byte[40], key.data());
        assertEquals(key, new KeyFile("t", "u", "h", FAST, new byte[64], new byte[40]));
        assertEquals(key.hashCode(), new KeyFile("t", "u", "h", FAST, new byte[64], new byte[40]).hashCode());
    }

    private static String b64(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    private static String sha256(byte[] data) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void scryptMatchesRfc7914Vectors() {
        assertEquals("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
                java.util.HexFormat.of().formatHex(KeyFile.scrypt("", new byte[0], new ScryptParams(16, 1, 1))));
        assertEquals("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                        + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
                java.util.HexFormat.of().formatHex(KeyFile.scrypt("password",
                        "NaCl".getBytes(java.nio.charset.StandardCharsets.UTF_8), new ScryptParams(1024, 8, 16))));
    }
}
