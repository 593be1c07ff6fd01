package dev.stowage.engine.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.chunker.Polynomial;
import dev.stowage.engine.json.JsonWriter;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The repository's {@code config} file: format version, identity and chunker polynomial. */
public record Config(int version, String id, Polynomial chunkerPolynomial) {
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 2;
    private static final JsonFactory JSON = new JsonFactory();

    public Config {
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new StowageException("unsupported repository version " + version + " (supported: 1 and 2)");
        }
    }

    /** A new config with a random ID and a random irreducible polynomial. */
    public static Config create(int version, SecureRandom random) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        return new Config(version, HexFormat.of().formatHex(id), Polynomial.random(random));
    }

    public byte[] toJson() {
        return new JsonWriter().beginObject()
                .name("version").value(version)
                .name("id").value(id)
                .name("chunker_polynomial").value(chunkerPolynomial.toHex())
                .endObject().toByteArray();
    }

    public static Config parse(byte[] json) {
        int version = 0;
        String id = null;
        String pol = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new StowageException("repository config is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "version" -> version = p.getIntValue();
                    case "id" -> id = p.getText();
                    case "chunker_polynomial" -> pol = p.getText();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new StowageException("repository config is malformed: " + e.getMessage(), e);
        }
        if (id == null || pol == null) {
            throw new StowageException("repository config lacks id or chunker_polynomial");
        }
        return new Config(version, id, Polynomial.parse(pol));
    }
}
