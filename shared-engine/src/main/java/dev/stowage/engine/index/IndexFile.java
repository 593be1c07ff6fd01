package dev.stowage.engine.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.json.JsonWriter;
import dev.stowage.engine.pack.PackedBlob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Encodes and decodes restic index files (the current object format and the old array format). */
public final class IndexFile {
    private static final JsonFactory JSON = new JsonFactory();

    private IndexFile() {
    }

    /** The plaintext JSON of an index file listing these packs, with restic's trailing newline. */
    public static byte[] encode(List<PackEntry> packs) {
        JsonWriter w = new JsonWriter(128 + packs.size() * 256);
        w.beginObject().name("packs").beginArray();
        for (PackEntry p : packs) {
            w.beginObject().name("id").value(p.packId().hex()).name("blobs").beginArray();
            for (PackedBlob b : p.blobs()) {
                w.beginObject()
                        .name("id").value(b.id().hex())
                        .name("type").value(b.type().jsonName())
                        .name("offset").value(b.offset())
                        .name("length").value(b.length() & 0xffffffffL);
                if (b.compressed()) {
                    w.name("uncompressed_length").value(b.uncompressedLength() & 0xffffffffL);
                }
                w.endObject();
            }
            w.endArray().endObject();
        }
        w.endArray().endObject().raw((byte) '\n');
        return w.toByteArray();
    }

    /**
     * Decodes an index file's plaintext JSON.
     *
     * @param name used in error messages
     */
    public static List<PackEntry> decode(byte[] json, String name) {
        try (JsonParser p = JSON.createParser(json)) {
            List<PackEntry> packs = new ArrayList<>();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                readPacks(p, packs);
            } else if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("packs") && p.currentToken() == JsonToken.START_ARRAY) {
                        readPacks(p, packs);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                throw new StowageException("not a JSON object");
            }
            return packs;
        } catch (IOException | IllegalArgumentException | StowageException e) {
            throw new StowageException("index " + name + " is malformed: " + e.getMessage(), e);
        }
    }

    private static void readPacks(JsonParser p, List<PackEntry> packs) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Id packId = null;
            List<PackedBlob> blobs = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id" -> packId = Id.parse(p.getText());
                    case "blobs" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            blobs.add(readBlob(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (packId == null) {
                throw new StowageException("pack entry without id");
            }
            packs.add(new PackEntry(packId, blobs));
        }
    }

    private static PackedBlob readBlob(JsonParser p) throws IOException {
        Id id = null;
        BlobType type = null;
        long offset = -1;
        long length = -1;
        long uncompressed = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = Id.parse(p.getText());
                case "type" -> type = BlobType.fromJson(p.getText());
                case "offset" -> offset = p.getLongValue();
                case "length" -> length = p.getLongValue();
                case "uncompressed_length" -> uncompressed = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        if (id == null || type == null || offset < 0 || length < 0 || length > 0xffffffffL || uncompressed > 0xffffffffL) {
            throw new StowageException("blob entry with missing or invalid id, type, offset or length");
        }
        return new PackedBlob(type, id, offset, (int) length, (int) uncompressed);
    }
}
