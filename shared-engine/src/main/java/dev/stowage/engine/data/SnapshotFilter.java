package dev.stowage.engine.data;

import java.util.List;

/**
 * restic's snapshot filters: any of the hosts; any of the tag groups, where a group matches a
 * snapshot that has all of its tags; and all of the paths. Empty criteria match everything.
 */
public record SnapshotFilter(List<String> hosts, List<List<String>> tagGroups, List<String> paths) {
    public static final SnapshotFilter ALL = new SnapshotFilter(List.of(), List.of(), List.of());

    public SnapshotFilter {
        hosts = List.copyOf(hosts);
        tagGroups = tagGroups.stream().map(List::copyOf).toList();
        paths = List.copyOf(paths);
    }

    public boolean matches(Snapshot s) {
        if (!hosts.isEmpty() && !hosts.contains(s.hostname())) {
            return false;
        }
        if (!tagGroups.isEmpty() && tagGroups.stream().noneMatch(g -> s.tags().containsAll(g))) {
            return false;
        }
        return s.paths().containsAll(paths);
    }
}
