package dev.stowage.engine.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.json.GoQuote;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.json.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Tree blobs: {@code {"nodes":[...]}} plus a newline, nodes sorted by raw name bytes, every node
 * written field by field in restic's order so that identical directories hash identically.
 */
public final class TreeCodec {
    private static final JsonFactory JSON = new JsonFactory();
    private static final OffsetDateTime GO_ZERO_TIME = OffsetDateTime.parse("0001-01-01T00:00:00Z");

    private TreeCodec() {
    }

    /** Sorts the nodes by name bytes and encodes them; duplicate names are an error. */
    public static byte[] encode(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        for (int i = 1; i < sorted.size(); i++) {
            if (Arrays.equals(sorted.get(i - 1).name(), sorted.get(i).name())) {
                throw new StowageException("duplicate name in tree: " + sorted.get(i).displayName());
            }
        }
        JsonWriter w = new JsonWriter(64 + sorted.size() * 320);
        w.beginObject().name("nodes").beginArray();
        for (Node n : sorted) {
            writeNode(w, n);
        }
        w.endArray().endObject().raw((byte) '\n');
        return w.toByteArray();
    }

    private static void writeNode(JsonWriter w, Node n) {
        w.beginObject();
        w.name("name").value(GoQuote.quote(n.name()));
        w.name("type").value(n.type().jsonName());
        if (n.mode() != 0) {
            w.name("mode").unsignedValue(n.mode());
        }
        w.name("mtime").value(GoTime.format(n.mtime()));
        w.name("atime").value(GoTime.format(n.atime()));
        w.name("ctime").value(GoTime.format(n.ctime()));
        w.name("uid").unsignedValue(n.uid());
        w.name("gid").unsignedValue(n.gid());
        if (!n.user().isEmpty()) {
            w.name("user").value(n.user());
        }
        if (!n.group().isEmpty()) {
            w.name("group").value(n.group());
        }
        if (n.inode() != 0) {
            w.name("inode").unsignedValue(n.inode());
        }
        if (n.deviceId() != 0) {
            w.name("device_id").unsignedValue(n.deviceId());
        }
        if (n.size() != 0) {
            w.name("size").unsignedValue(n.size());
        }
        if (n.links() != 0) {
            w.name("links").unsignedValue(n.links());
        }
        if (n.linkTarget() != null && n.linkTarget().length > 0) {
            w.name("linktarget").value(n.linkTarget());
            if (!isUtf8(n.linkTarget())) {
                // restic >= 0.16 keeps targets that are not UTF-8 exactly this way
                w.name("linktarget_raw").base64Value(n.linkTarget());
            }
        }
        if (!n.extendedAttributes().isEmpty()) {
            w.name("extended_attributes").beginArray();
            for (ExtendedAttribute a : n.extendedAttributes()) {
                w.beginObject().name("name").value(a.name()).name("value").base64Value(a.value()).endObject();
            }
            w.endArray();
        }
        if (n.device() != 0) {
            w.name("device").unsignedValue(n.device());
        }
        w.name("content");
        if (n.content() == null) {
            w.nullValue();
        } else {
            w.beginArray();
            for (Id id : n.content()) {
                w.value(id.hex());
            }
            w.endArray();
        }
        if (n.subtree() != null) {
            w.name("subtree").value(n.subtree().hex());
        }
        if (!n.error().isEmpty()) {
            w.name("error").value(n.error());
        }
        w.endObject();
    }

    private static boolean isUtf8(byte[] b) {
        return Arrays.equals(b, new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a tree blob's plaintext.
     *
     * @param what names the tree in error messages
     */
    public static List<Node> decode(byte[] json, String what) {
        List<Node> nodes = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new StowageException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("nodes") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        nodes.add(readNode(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | IllegalArgumentException | StowageException e) {
            throw new StowageException("tree " + what + " is malformed: " + e.getMessage(), e);
        }
        return nodes;
    }

    private static Node readNode(JsonParser p) throws IOException {
        byte[] name = null;
        NodeType type = null;
        long mode = 0;
        OffsetDateTime mtime = null;
        OffsetDateTime atime = null;
        OffsetDateTime ctime = null;
        long uid = 0;
        long gid = 0;
        String user = "";
        String group = "";
        long inode = 0;
        long deviceId = 0;
        long size = 0;
        long links = 0;
        byte[] linkTarget = null;
        byte[] linkTargetRaw = null;
        List<ExtendedAttribute> xattrs = new ArrayList<>();
        long device = 0;
        List<Id> content = null;
        Id subtree = null;
        String error = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "name" -> name = GoQuote.unquote(p.getText());
                case "type" -> type = NodeType.fromJson(p.getText());
                case "mode" -> mode = unsigned(p);
                case "mtime" -> mtime = GoTime.parse(p.getText());
                case "atime" -> atime = GoTime.parse(p.getText());
                case "ctime" -> ctime = GoTime.parse(p.getText());
                case "uid" -> uid = unsigned(p);
                case "gid" -> gid = unsigned(p);
                case "user" -> user = p.getText();
                case "group" -> group = p.getText();
                case "inode" -> inode = unsigned(p);
                case "device_id" -> deviceId = unsigned(p);
                case "size" -> size = unsigned(p);
                case "links" -> links = unsigned(p);
                case "linktarget" -> linkTarget = p.getText().getBytes(StandardCharsets.UTF_8);
                case "linktarget_raw" -> linkTargetRaw = Base64.getDecoder().decode(p.getText());
                case "extended_attributes" -> readXattrs(p, xattrs);
                case "device" -> device = unsigned(p);
                case "content" -> {
                    content = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        content.add(p.currentToken() == JsonToken.VALUE_NULL ? null : Id.parse(p.getText()));
                    }
                }
                case "subtree" -> subtree = Id.parse(p.getText());
                case "error" -> error = p.getText();
                default -> p.skipChildren();
            }
        }
        if (name == null || type == null) {
            throw new StowageException("node without name or type");
        }
        return new Node(name, type, mode, mtime == null ? GO_ZERO_TIME : mtime, atime == null ? GO_ZERO_TIME : atime,
                ctime == null ? GO_ZERO_TIME : ctime, uid, gid, user, group, inode, deviceId, size, links,
                linkTargetRaw != null ? linkTargetRaw : linkTarget, xattrs, device, content, subtree, error);
    }

    private static void readXattrs(JsonParser p, List<ExtendedAttribute> out) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            byte[] value = new byte[0];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if (f.equals("name")) {
                    name = p.getText();
                } else if (f.equals("value") && t != JsonToken.VALUE_NULL) {
                    value = Base64.getDecoder().decode(p.getText());
                } else {
                    p.skipChildren();
                }
            }
            if (name != null) {
                out.add(new ExtendedAttribute(name, value));
            }
        }
    }

    private static long unsigned(JsonParser p) throws IOException {
        return Long.parseUnsignedLong(p.getText());
    }
}
