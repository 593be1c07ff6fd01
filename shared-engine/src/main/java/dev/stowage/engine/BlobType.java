package dev.stowage.engine;

/** The two kinds of blobs: file content chunks and directory trees. */
public enum BlobType {
    DATA("data"),
    TREE("tree");

    private final String jsonName;

    BlobType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in index files. */
    public String jsonName() {
        return jsonName;
    }

    public static BlobType fromJson(String name) {
        return switch (name) {
            case "data" -> DATA;
            case "tree" -> TREE;
            default -> throw new StowageException("invalid blob type \"" + name + "\"");
        };
    }
}
