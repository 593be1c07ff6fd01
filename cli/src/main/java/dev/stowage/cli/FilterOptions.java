package dev.stowage.cli;

import dev.stowage.engine.data.SnapshotFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** restic's snapshot filter flags. */
final class FilterOptions {
    @Option(names = {"-H", "--host"}, description = "only consider snapshots of this host (repeatable)")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", description = "only consider snapshots with these tags (a,b = both; repeat for either)")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", description = "only consider snapshots including this path (repeatable)")
    List<String> paths = new ArrayList<>();

    SnapshotFilter filter() {
        List<List<String>> groups = tags.stream()
                .map(t -> Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .filter(g -> !g.isEmpty()).toList();
        return new SnapshotFilter(hosts, groups, paths);
    }
}
