package dev.stowage.engine.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.json.JsonWriter;
import org.bouncycastle.crypto.generators.SCrypt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A restic key file ({@code keys/<id>}): plain JSON holding the scrypt parameters and salt and
 * the master key sealed with the key derived from the password.
 *
 * @param created RFC 3339 timestamp (with nanoseconds), stored verbatim
 * @param username user that created the key
 * @param hostname host the key was created on
 * @param params scrypt parameters
 * @param salt 64-byte scrypt salt (copied on the way in and out)
 * @param data the sealed master-key JSON, {@code IV || CT || MAC} (copied on the way in and out)
 */
public record KeyFile(String created, String username, String hostname, ScryptParams params,
                      byte[] salt, byte[] data) {
    static final int SALT_SIZE = 64;

    /**
     * @throws StowageException if the salt is not 64 bytes or data is too short to hold a sealed key
     */
    public KeyFile {
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(data, "data");
        if (salt.length != SALT_SIZE) {
            throw new StowageException("invalid key file: the salt must be " + SALT_SIZE
                    + " bytes, found " + salt.length);
        }
        if (data.length < CryptoKey.OVERHEAD) {
            throw new StowageException("invalid key file: the encrypted key in \"data\" is only "
                    + data.length + " bytes long");
        }
        salt = salt.clone();
        data = data.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The key file JSON exactly as restic (Go's json.Marshal) writes it, without trailing newline. */
    public byte[] toJson() {
        return new JsonWriter(256 + 2 * data.length).beginObject()
                .name("created").value(created)
                .name("username").value(username)
                .name("hostname").value(hostname)
                .name("kdf").value("scrypt")
                .name("N").value(params.n())
                .name("r").value(params.r())
                .name("p").value(params.p())
                .name("salt").base64Value(salt)
                .name("data").base64Value(data)
                .endObject().toByteArray();
    }

    /**
     * Parses a key file. Any valid scrypt parameters are accepted; unknown fields are ignored.
     *
     * @throws StowageException if the JSON is malformed, the KDF is not scrypt, the salt is not
     *     64 bytes, or a required field is missing or has the wrong type
     */
    public static KeyFile parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        String created = "";
        String username = "";
        String hostname = "";
        String kdf = null;
        Long n = null;
        Long r = null;
        Long p = null;
        byte[] salt = null;
        byte[] data = null;
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            expect(parser.nextToken() == JsonToken.START_OBJECT, "expected a JSON object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "created" -> created = string(parser, value, name, created);
                    case "username" -> username = string(parser, value, name, username);
                    case "hostname" -> hostname = string(parser, value, name, hostname);
                    case "kdf" -> kdf = string(parser, value, name, null);
                    case "N" -> n = integer(parser, value, name);
                    case "r" -> r = integer(parser, value, name);
                    case "p" -> p = integer(parser, value, name);
                    case "salt" -> salt = base64(parser, value, name);
                    case "data" -> data = base64(parser, value, name);
                    default -> parser.skipChildren();
                }
            }
            expect(parser.currentToken() == JsonToken.END_OBJECT, "unexpected content");
            expect(parser.nextToken() == null, "unexpected content after the JSON object");
        } catch (IOException ex) {
            throw new StowageException("invalid key file: not valid JSON: " + JsonErrors.describe(ex), ex);
        }
        expect(kdf != null, "the \"kdf\" field is missing");
        if (!"scrypt".equals(kdf)) {
            throw new StowageException("unsupported key file: key derivation function \"" + kdf
                    + "\" is not supported (only \"scrypt\" is)");
        }
        expect(n != null, "the \"N\" field is missing");
        expect(r != null, "the \"r\" field is missing");
        expect(p != null, "the \"p\" field is missing");
        expect(salt != null, "the \"salt\" field is missing");
        expect(data != null, "the \"data\" field is missing");
        ScryptParams params = new ScryptParams(toInt(n, "N"), toInt(r, "r"), toInt(p, "p"));
        return new KeyFile(created, username, hostname, params, salt, data);
    }

    /**
     * Creates a key file that wraps {@code master} with a key derived from {@code password}
     * under a fresh random salt.
     */
    public static KeyFile create(CryptoKey master, String password, ScryptParams params,
                                 String username, String hostname, String created) {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(params, "params");
        byte[] salt = new byte[SALT_SIZE];
        new SecureRandom().nextBytes(salt);
        CryptoKey userKey = deriveUserKey(password, salt, params);
        byte[] masterJson = master.toJson();
        byte[] data = userKey.seal(masterJson);
        Arrays.fill(masterJson, (byte) 0);
        return new KeyFile(created, username, hostname, params, salt, data);
    }

    /**
     * Derives the user key from {@code password} and opens the master key.
     *
     * @throws WrongPasswordException if the password does not unlock this key file
     * @throws StowageException if the key file decrypts but does not contain a valid master key
     */
    public CryptoKey unlock(String password) {
        CryptoKey userKey = deriveUserKey(password, salt, params);
        byte[] masterJson;
        try {
            masterJson = userKey.open(data);
        } catch (CiphertextVerificationException ex) {
            throw new WrongPasswordException();
        }
        try {
            return CryptoKey.fromJson(masterJson);
        } finally {
            Arrays.fill(masterJson, (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyFile k
                && created.equals(k.created) && username.equals(k.username)
                && hostname.equals(k.hostname) && params.equals(k.params)
                && Arrays.equals(salt, k.salt) && Arrays.equals(data, k.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(created, username, hostname, params, Arrays.hashCode(salt), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "KeyFile[created=" + created + ", username=" + username + ", hostname=" + hostname
                + ", params=" + params + "]";
    }

    static CryptoKey deriveUserKey(String password, byte[] salt, ScryptParams params) {
        byte[] derived = scrypt(password, salt, params);
        try {
            return CryptoKey.fromScrypt(derived);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    static byte[] scrypt(String password, byte[] salt, ScryptParams params) {
        Objects.requireNonNull(password, "password");
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        try {
            return SCrypt.generate(pw, salt, params.n(), params.r(), params.p(), 64);
        } catch (OutOfMemoryError ex) {
            throw new StowageException("not enough memory for scrypt with N=" + params.n() + ", r="
                    + params.r() + " (needs " + (128L * params.r() * params.n() >> 20) + " MiB); "
                    + "raise the Java heap size (-Xmx)", ex);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static String string(JsonParser parser, JsonToken token, String field, String ifNull)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return ifNull;
        }
        expect(token == JsonToken.VALUE_STRING, "\"" + field + "\" must be a string");
        return parser.getText();
    }

    private static Long integer(JsonParser parser, JsonToken token, String field) throws IOException {
        expect(token == JsonToken.VALUE_NUMBER_INT, "\"" + field + "\" must be an integer");
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new StowageException("invalid key file: \"" + field + "\" is too large: " + parser.getText());
        }
        return parser.getLongValue();
    }

    private static byte[] base64(JsonParser parser, JsonToken token, String field) throws IOException {
        expect(token == JsonToken.VALUE_STRING, "\"" + field + "\" must be a base64 string");
        try {
            return Base64.getDecoder().decode(parser.getText());
        } catch (IllegalArgumentException ex) {
            throw new StowageException("invalid key file: \"" + field + "\" is not valid base64", ex);
        }
    }

    private static int toInt(long value, String field) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new StowageException("invalid scrypt parameters: " + field + "=" + value
                    + " is out of range");
        }
        return (int) value;
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new StowageException("invalid key file: " + problem);
        }
    }
}
