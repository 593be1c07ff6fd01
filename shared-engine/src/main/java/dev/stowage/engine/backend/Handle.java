package dev.stowage.engine.backend;

/** Names one file of a repository: its type and, except for the config, its 64-hex name. */
public record Handle(FileType type, String name) {
    public static final Handle CONFIG = new Handle(FileType.CONFIG, "");

    /** The path relative to the repository root in restic's default layout. */
    public String path() {
        return switch (type) {
            case CONFIG -> "config";
            case PACK -> "data/" + name.substring(0, 2) + "/" + name;
            default -> type.directory() + "/" + name;
        };
    }

    @Override
    public String toString() {
        return path();
    }
}
