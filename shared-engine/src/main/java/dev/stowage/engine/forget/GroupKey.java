package dev.stowage.engine.forget;

import dev.stowage.engine.data.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a group's snapshots share: the host ("" when not grouping by host), the sorted paths and
 * the sorted tags (null when not grouping by them, or, for tags, when the snapshots have none —
 * restic prints {@code null} then).
 */
public record GroupKey(String host, List<String> paths, List<String> tags) implements Comparable<GroupKey> {
    private static final Comparator<List<String>> LISTS = (a, b) -> {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };
    private static final Comparator<GroupKey> ORDER = Comparator.comparing(GroupKey::host)
            .thenComparing(GroupKey::paths, LISTS).thenComparing(GroupKey::tags, LISTS);

    public GroupKey {
        paths = paths == null ? null : List.copyOf(paths);
        tags = tags == null ? null : List.copyOf(tags);
    }

    static GroupKey of(Snapshot s, GroupBy by) {
        return new GroupKey(by.host() ? s.hostname() : "", by.paths() ? sorted(s.paths()) : null,
                by.tags() && !s.tags().isEmpty() ? sorted(s.tags()) : null);
    }

    private static List<String> sorted(List<String> l) {
        List<String> copy = new ArrayList<>(l);
        copy.sort(null);
        return copy;
    }

    /** Groups are printed in this order (restic's order is random: it iterates a Go map). */
    @Override
    public int compareTo(GroupKey o) {
        return ORDER.compare(this, o);
    }

    /** restic's table heading, e.g. {@code host [h1], paths [/a /b]}; empty when nothing is grouped. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!host.isEmpty()) {
            parts.add("host [" + host + "]");
        }
        if (tags != null) {
            parts.add("tags [" + String.join(", ", tags) + "]");
        }
        if (paths != null) {
            parts.add("paths [" + String.join(", ", paths) + "]");
        }
        return String.join(", ", parts);
    }
}
