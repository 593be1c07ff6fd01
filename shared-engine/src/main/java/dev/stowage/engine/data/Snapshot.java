package dev.stowage.engine.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.json.JsonWriter;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot file. {@code id} is its storage ID (null until it has been saved); the other fields
 * are restic's, written in restic's order and with its omit rules.
 */
public record Snapshot(Id id, OffsetDateTime time, Id parent, Id tree, List<String> paths, String hostname,
                       String username, long uid, long gid, List<String> excludes, List<String> tags,
                       Id original, String programVersion, SnapshotSummary summary) {
    private static final JsonFactory JSON = new JsonFactory();

    public Snapshot {
        paths = List.copyOf(paths);
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        tags = tags == null ? List.of() : List.copyOf(tags);
        hostname = hostname == null ? "" : hostname;
        username = username == null ? "" : username;
        programVersion = programVersion == null ? "" : programVersion;
    }

    public Snapshot withId(Id newId) {
        return new Snapshot(newId, time, parent, tree, paths, hostname, username, uid, gid, excludes, tags,
                original, programVersion, summary);
    }

    /** The snapshot file's JSON. */
    public byte[] toJson() {
        JsonWriter w = new JsonWriter(512);
        writeJson(w, false);
        return w.toByteArray();
    }

    /**
     * Writes the snapshot as a JSON object; with {@code withIds}, followed by {@code id} and
     * {@code short_id} as restic's {@code snapshots --json} prints them.
     */
    public void writeJson(JsonWriter w, boolean withIds) {
        w.beginObject();
        writeFields(w, withIds);
        w.endObject();
    }

    /**
     * Writes the members of {@link #writeJson} into an object the caller has begun, so that it can
     * add its own: restic's {@code ls --json} prints the whole snapshot followed by {@code struct_type}.
     */
    public void writeFields(JsonWriter w, boolean withIds) {
        w.name("time").value(GoTime.format(time));
        if (parent != null) {
            w.name("parent").value(parent.hex());
        }
        w.name("tree").value(tree.hex());
        w.name("paths").beginArray();
        paths.forEach(w::value);
        w.endArray();
        if (!hostname.isEmpty()) {
            w.name("hostname").value(hostname);
        }
        if (!username.isEmpty()) {
            w.name("username").value(username);
        }
        if (uid != 0) {
            w.name("uid").unsignedValue(uid);
        }
        if (gid != 0) {
            w.name("gid").unsignedValue(gid);
        }
        if (!excludes.isEmpty()) {
            w.name("excludes").beginArray();
            excludes.forEach(w::value);
            w.endArray();
        }
        if (!tags.isEmpty()) {
            w.name("tags").beginArray();
            tags.forEach(w::value);
            w.endArray();
        }
        if (original != null) {
            w.name("original").value(original.hex());
        }
        if (!programVersion.isEmpty()) {
            w.name("program_version").value(programVersion);
        }
        if (summary != null) {
            w.name("summary");
            summary.write(w);
        }
        if (withIds && id != null) {
            w.name("id").value(id.hex()).name("short_id").value(id.shortHex());
        }
    }

    /** Decodes a snapshot file's plaintext. */
    public static Snapshot parse(Id id, byte[] json) {
        OffsetDateTime time = null;
        Id parent = null;
        Id tree = null;
        List<String> paths = new ArrayList<>();
        String hostname = "";
        String username = "";
        long uid = 0;
        long gid = 0;
        List<String> excludes = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        Id original = null;
        String programVersion = "";
        SnapshotSummary summary = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new StowageException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (field) {
                    case "time" -> time = GoTime.parse(p.getText());
                    case "parent" -> parent = Id.parse(p.getText());
                    case "tree" -> tree = Id.parse(p.getText());
                    case "paths" -> readStrings(p, paths);
                    case "hostname" -> hostname = p.getText();
                    case "username" -> username = p.getText();
                    case "uid" -> uid = Long.parseUnsignedLong(p.getText());
                    case "gid" -> gid = Long.parseUnsignedLong(p.getText());
                    case "excludes" -> readStrings(p, excludes);
                    case "tags" -> readStrings(p, tags);
                    case "original" -> original = Id.parse(p.getText());
                    case "program_version" -> programVersion = p.getText();
                    case "summary" -> summary = SnapshotSummary.read(p);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | IllegalArgumentException | StowageException e) {
            throw new StowageException("snapshot " + id + " is malformed: " + e.getMessage(), e);
        }
        if (time == null || tree == null) {
            throw new StowageException("snapshot " + id + " has no " + (time == null ? "time" : "tree"));
        }
        return new Snapshot(id, time, parent, tree, paths, hostname, username, uid, gid, excludes, tags,
                original, programVersion, summary);
    }

    private static void readStrings(JsonParser p, List<String> out) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getText());
        }
    }
}
