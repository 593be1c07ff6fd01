package dev.stowage.cli;

import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotFilter;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.json.JsonWriter;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "snapshots", description = "List snapshots.")
final class SnapshotsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    StowageCommand root;

    @Mixin
    FilterOptions filterOptions;

    @Option(names = "--latest", description = "only show the latest N snapshots for each host and path")
    Integer latest;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        try (RepositoryAccess access = RepositoryAccess.open(g, true, false)) {
            SnapshotFilter filter = filterOptions.filter();
            List<Snapshot> list = Snapshots.loadAll(access.repo).stream().filter(filter::matches).toList();
            if (latest != null) {
                list = latestPerGroup(list, latest);
            }
            if (g.json) {
                JsonWriter w = new JsonWriter(256 + list.size() * 512);
                w.beginArray();
                for (Snapshot s : list) {
                    s.writeJson(w, true);
                }
                w.endArray().raw((byte) '\n');
                root.out.writeBytes(w.toByteArray());
                return 0;
            }
            printTable(list);
        }
        return 0;
    }

    private static List<Snapshot> latestPerGroup(List<Snapshot> list, int n) {
        java.util.Map<String, java.util.ArrayDeque<Snapshot>> groups = new java.util.LinkedHashMap<>();
        for (Snapshot s : list) {
            java.util.ArrayDeque<Snapshot> q = groups.computeIfAbsent(s.hostname() + "\0" + String.join("\0", s.paths()),
                    k -> new java.util.ArrayDeque<>());
            q.addLast(s);
            if (q.size() > n) {
                q.removeFirst();
            }
        }
        return groups.values().stream().flatMap(java.util.Collection::stream)
                .sorted(java.util.Comparator.comparing(Snapshot::time)).toList();
    }

    private void printTable(List<Snapshot> list) {
        int hostWidth = Math.max(10, list.stream().mapToInt(s -> s.hostname().length()).max().orElse(0));
        int tagWidth = Math.max(10, list.stream().mapToInt(s -> String.join(",", s.tags()).length()).max().orElse(0));
        String fmt = "%-8s  %-19s  %-" + hostWidth + "s  %-" + tagWidth + "s  %s%n";
        String header = String.format(fmt, "ID", "Time", "Host", "Tags", "Paths");
        root.out.print(header);
        root.out.println("-".repeat(header.length() + 10));
        for (Snapshot s : list) {
            List<String> paths = s.paths().isEmpty() ? List.of("") : s.paths();
            root.out.printf(fmt, s.id().shortHex(), TIME.format(s.time()), s.hostname(), String.join(",", s.tags()), paths.get(0));
            for (int i = 1; i < paths.size(); i++) {
                root.out.printf(fmt, "", "", "", "", paths.get(i));
            }
        }
        root.out.println("-".repeat(header.length() + 10));
        root.out.println(list.size() + " snapshots");
    }
}
