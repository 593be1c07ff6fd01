package dev.stowage.engine.lock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.json.JsonWriter;
import java.io.IOException;
import java.time.OffsetDateTime;

/** A lock file's content, in restic's format. {@code id} is the storage ID (null before saving). */
public record Lock(Id id, OffsetDateTime time, boolean exclusive, String hostname, String username, long pid,
                   long uid, long gid) {
    private static final JsonFactory JSON = new JsonFactory();

    public byte[] toJson() {
        JsonWriter w = new JsonWriter().beginObject()
                .name("time").value(GoTime.format(time))
                .name("exclusive").value(exclusive)
                .name("hostname").value(hostname)
                .name("username").value(username)
                .name("pid").value(pid);
        if (uid != 0) {
            w.name("uid").value(uid);
        }
        if (gid != 0) {
            w.name("gid").value(gid);
        }
        return w.endObject().toByteArray();
    }

    public static Lock parse(Id id, byte[] json) {
        OffsetDateTime time = null;
        boolean exclusive = false;
        String hostname = "";
        String username = "";
        long pid = 0;
        long uid = 0;
        long gid = 0;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new StowageException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (f) {
                    case "time" -> time = GoTime.parse(p.getText());
                    case "exclusive" -> exclusive = p.getBooleanValue();
                    case "hostname" -> hostname = p.getText();
                    case "username" -> username = p.getText();
                    case "pid" -> pid = p.getLongValue();
                    case "uid" -> uid = p.getLongValue();
                    case "gid" -> gid = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | StowageException e) {
            throw new StowageException("lock " + id + " is malformed: " + e.getMessage(), e);
        }
        if (time == null) {
            throw new StowageException("lock " + id + " has no time");
        }
        return new Lock(id, time, exclusive, hostname, username, pid, uid, gid);
    }

    public Lock withId(Id newId) {
        return new Lock(newId, time, exclusive, hostname, username, pid, uid, gid);
    }

    /** Whether this lock and one of the given kind exclude each other. */
    public boolean conflictsWith(boolean otherExclusive) {
        return exclusive || otherExclusive;
    }

    public String describe() {
        return (exclusive ? "exclusive" : "shared") + " lock held by PID " + pid + " on " + hostname
                + " by " + username + " since " + GoTime.format(time);
    }
}
