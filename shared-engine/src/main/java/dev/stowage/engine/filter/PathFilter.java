package dev.stowage.engine.filter;

import java.util.List;

/** Include and exclude patterns applied together, as restic's restore applies them. Immutable. */
public record PathFilter(List<Pattern> includes, List<Pattern> excludes) {
    public static final PathFilter ALL = new PathFilter(List.of(), List.of());

    public PathFilter {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
    }

    public static PathFilter of(List<String> includes, List<String> excludes) {
        return new PathFilter(includes.stream().map(Pattern::compile).toList(),
                excludes.stream().map(Pattern::compile).toList());
    }

    /** Whether there are no patterns at all, so that everything is selected. */
    public boolean isEmpty() {
        return includes.isEmpty() && excludes.isEmpty();
    }

    public boolean excluded(List<String> path) {
        return excludes.stream().anyMatch(p -> p.matches(path));
    }

    /** Whether the entry itself is selected (its parent directories having been selected already). */
    public boolean selected(List<String> path, boolean parentSelected) {
        if (excluded(path)) {
            return false;
        }
        return includes.isEmpty() || parentSelected || includes.stream().anyMatch(p -> p.matches(path));
    }

    /** Whether a directory must be walked because something below it may be selected. */
    public boolean descend(List<String> path, boolean selected) {
        if (excluded(path)) {
            return false;
        }
        return selected || includes.stream().anyMatch(p -> p.mayMatchBelow(path));
    }
}
