package dev.stowage.engine.data;

import dev.stowage.engine.StowageException;

/** Node types as restic names them. */
public enum NodeType {
    FILE("file"),
    DIR("dir"),
    SYMLINK("symlink"),
    DEV("dev"),
    CHARDEV("chardev"),
    FIFO("fifo"),
    SOCKET("socket"),
    IRREGULAR("irregular");

    private final String jsonName;

    NodeType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static NodeType fromJson(String name) {
        for (NodeType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        throw new StowageException("unknown node type \"" + name + "\"");
    }
}
