package dev.stowage.engine.forget;

import dev.stowage.engine.StowageException;

/** restic's {@code --group-by}: which of host, paths and tags separate snapshot groups. */
public record GroupBy(boolean host, boolean paths, boolean tags) {
    /** restic's default, {@code host,paths}. */
    public static final GroupBy DEFAULT = new GroupBy(true, true, false);
    public static final GroupBy NONE = new GroupBy(false, false, false);

    /** Parses a comma-separated list of {@code host}, {@code paths}, {@code tags}; empty = no grouping. */
    public static GroupBy parse(String s) {
        boolean h = false;
        boolean p = false;
        boolean t = false;
        for (String part : s.split(",", -1)) {
            switch (part) {
                case "host" -> h = true;
                case "paths" -> p = true;
                case "tags" -> t = true;
                case "" -> { }
                default -> throw new StowageException("unknown grouping option: '" + part + "'");
            }
        }
        return new GroupBy(h, p, t);
    }
}
