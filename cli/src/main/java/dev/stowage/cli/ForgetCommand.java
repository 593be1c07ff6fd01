package dev.stowage.cli;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotFilter;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.forget.Forget;
import dev.stowage.engine.forget.ForgetPolicy;
import dev.stowage.engine.forget.GroupBy;
import dev.stowage.engine.forget.GroupResult;
import dev.stowage.engine.forget.KeepDuration;
import dev.stowage.engine.forget.KeepReason;
import dev.stowage.engine.json.JsonWriter;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code forget}: removes snapshots by restic 0.14's retention policy, or the snapshots named.
 * Flags mirror restic 0.14's (there {@code -H} is {@code --keep-hourly}, and {@code --host} has no
 * short form). {@code --prune} runs prune (with the prune flags) after removing snapshots, under the
 * same exclusive lock.
 */
@Command(name = "forget", description = "Remove snapshots according to a policy, or the snapshots given. "
        + "Only snapshot files are removed; the data stays until prune (or forget --prune).")
final class ForgetCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    StowageCommand root;

    @Parameters(paramLabel = "SNAPSHOT", description = "snapshot IDs (or unique prefixes) to remove; no policy then")
    List<String> ids = new ArrayList<>();

    @Option(names = {"-l", "--keep-last"}, paramLabel = "n", description = "keep the last n snapshots")
    int keepLast;
    @Option(names = {"-H", "--keep-hourly"}, paramLabel = "n", description = "keep the last n hourly snapshots")
    int keepHourly;
    @Option(names = {"-d", "--keep-daily"}, paramLabel = "n", description = "keep the last n daily snapshots")
    int keepDaily;
    @Option(names = {"-w", "--keep-weekly"}, paramLabel = "n", description = "keep the last n weekly snapshots")
    int keepWeekly;
    @Option(names = {"-m", "--keep-monthly"}, paramLabel = "n", description = "keep the last n monthly snapshots")
    int keepMonthly;
    @Option(names = {"-y", "--keep-yearly"}, paramLabel = "n", description = "keep the last n yearly snapshots")
    int keepYearly;

    @Option(names = "--keep-within", paramLabel = "duration", converter = DurationConverter.class,
            description = "keep snapshots newer than duration (eg. 1y5m7d2h) relative to the latest snapshot")
    KeepDuration keepWithin;
    @Option(names = "--keep-within-hourly", paramLabel = "duration", converter = DurationConverter.class,
            description = "keep hourly snapshots newer than duration relative to the latest snapshot")
    KeepDuration keepWithinHourly;
    @Option(names = "--keep-within-daily", paramLabel = "duration", converter = DurationConverter.class,
            description = "keep daily snapshots newer than duration relative to the latest snapshot")
    KeepDuration keepWithinDaily;
    @Option(names = "--keep-within-weekly", paramLabel = "duration", converter = DurationConverter.class,
            description = "keep weekly snapshots newer than duration relative to the latest snapshot")
    KeepDuration keepWithinWeekly;
    @Option(names = "--keep-within-monthly", paramLabel = "duration", converter = DurationConverter.class,
            description = "keep monthly snapshots newer than duration relative to the latest snapshot")
    KeepDuration keepWithinMonthly;
    @Option(names = "--keep-within-yearly", paramLabel = "duration", converter = DurationConverter.class,
            description = "keep yearly snapshots newer than duration relative to the latest snapshot")
    KeepDuration keepWithinYearly;

    @Option(names = "--keep-tag", paramLabel = "taglist", description = "keep snapshots with these tags (a,b = both; repeatable)")
    List<String> keepTags = new ArrayList<>();

    @Option(names = "--host", paramLabel = "host", description = "only consider snapshots of this host (repeatable)")
    List<String> hosts = new ArrayList<>();
    @Option(names = "--tag", paramLabel = "taglist", description = "only consider snapshots with these tags (a,b = both; repeat for either)")
    List<String> tags = new ArrayList<>();
    @Option(names = "--path", paramLabel = "path", description = "only consider snapshots including this path (repeatable)")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-c", "--compact"}, description = "use compact output format")
    boolean compact;
    @Option(names = {"-g", "--group-by"}, paramLabel = "group", defaultValue = "host,paths",
            description = "group snapshots by host, paths and/or tags, separated by comma ('' = no grouping; default host,paths)")
    String groupBy;
    @Option(names = {"-n", "--dry-run"}, description = "do not delete anything, just print what would be done")
    boolean dryRun;
    @Option(names = "--prune", description = "automatically run the 'prune' command if snapshots have been removed")
    boolean prune;

    @picocli.CommandLine.Mixin
    PruneFlags pruneFlags;

    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<KeepDuration> {
        @Override
        public KeepDuration convert(String value) {
            try {
                return KeepDuration.parse(value);
            } catch (StowageException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** restic's TagList: comma-separated, each tag trimmed; empty tags are kept ("" matches untagged snapshots). */
    static List<List<String>> tagLists(List<String> flags) {
        return flags.stream().map(f -> Arrays.stream(f.split(",", -1)).map(String::strip).toList()).toList();
    }

    ForgetPolicy policy() {
        return new ForgetPolicy(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin,
                keepWithinHourly, keepWithinDaily, keepWithinWeekly, keepWithinMonthly, keepWithinYearly,
                tagLists(keepTags));
    }

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = root.options();
        if (prune) {
            pruneFlags.validate();
        }
        ForgetPolicy policy = policy();
        GroupBy grouping = GroupBy.parse(groupBy);
        try (RepositoryAccess access = RepositoryAccess.open(g, true, true, false)) {
            if (!ids.isEmpty()) {
                int removed = removeNamed(access);
                pruneAfter(access, removed);
                return 0;
            }
            SnapshotFilter hostsAndPaths = new SnapshotFilter(hosts, List.of(), paths);
            List<List<String>> tagFilter = tagLists(tags);
            List<Snapshot> selected = Snapshots.loadAll(access.repo).stream()
                    .filter(s -> hostsAndPaths.matches(s) && Forget.hasAnyTags(s, tagFilter)).toList();
            if (policy.isEmpty()) {
                // restic 0.14; restic 0.17+ refuses an empty policy instead
                if (!g.json) {
                    root.out.println("no policy was specified, no snapshots will be removed");
                }
                return 0;
            }
            List<GroupResult> results = Forget.apply(selected, grouping, policy, OffsetDateTime.now());
            if (g.json) {
                JsonWriter w = new JsonWriter(4096);
                Forget.writeJson(w, results);
                w.raw((byte) '\n');
                root.out.writeBytes(w.toByteArray());
            } else if (!g.quiet) {
                root.out.println("Applying Policy: " + policy.describe());
                for (GroupResult r : results) {
                    printGroup(r);
                }
            }
            Set<Id> remove = new LinkedHashSet<>();
            results.forEach(r -> r.remove().forEach(s -> remove.add(s.id())));
            if (remove.isEmpty()) {
                return 0;
            }
            if (dryRun) {
                if (!g.json && !g.quiet) {
                    root.out.println("Would have removed the following snapshots:");
                    root.out.println("{" + remove.stream().map(Id::shortHex).sorted().collect(Collectors.joining(" ")) + "}");
                    root.out.println();
                }
                return 0;
            }
            int n = Forget.remove(access.repo, remove);
            if (!g.json && !g.quiet) {
                root.out.println("removed " + n + " snapshots");
            }
            pruneAfter(access, n);
        }
        return 0;
    }

    /** restic 0.14 prunes only if snapshots were removed (and, in a dry run, would have been). */
    private void pruneAfter(RepositoryAccess access, int removed) throws Exception {
        if (!prune || removed == 0) {
            return;
        }
        GlobalOptions g = root.options();
        if (!g.json && !g.quiet) {
            root.out.println(removed + " snapshots have been removed, running prune");
        }
        PruneCommand.run(root.out, g.quiet || g.json, access.repo,
                pruneFlags.options(dryRun, access.repo.config().version()));
    }

    /** Explicit IDs: each resolved like restic (unique prefix), then removed; no policy. */
    private int removeNamed(RepositoryAccess access) throws Exception {
        Set<Id> remove = new LinkedHashSet<>();
        for (String id : ids) {
            if (id.equals("latest")) {
                throw new StowageException("forget needs snapshot IDs, not 'latest'");
            }
            remove.add(Snapshots.find(access.repo, id, SnapshotFilter.ALL).id());
        }
        GlobalOptions g = root.options();
        for (Id id : remove) {
            if (dryRun) {
                if (!g.quiet && !g.json) {
                    root.out.println("would have removed snapshot " + id.shortHex());
                }
            } else {
                Forget.remove(access.repo, List.of(id));
                if (!g.quiet && !g.json) {
                    root.out.println("removed snapshot " + id.shortHex());
                }
            }
        }
        return dryRun ? 0 : remove.size();
    }

    private void printGroup(GroupResult r) {
        String heading = r.key().describe();
        if (!heading.isEmpty()) {
            root.out.println("snapshots for (" + heading + "):");
        }
        Map<Snapshot, List<String>> reasons = r.reasons().stream()
                .collect(Collectors.toMap(KeepReason::snapshot, KeepReason::matches, (a, b) -> a));
        if (!r.keep().isEmpty()) {
            root.out.println("keep " + r.keep().size() + " snapshots:");
            printTable(r.keep(), reasons::get);
            root.out.println();
        }
        if (!r.remove().isEmpty()) {
            root.out.println("remove " + r.remove().size() + " snapshots:");
            printTable(r.remove(), null);
            root.out.println();
        }
    }

    /** restic's table, oldest first; keep tables have a Reasons column; --compact drops paths and reasons. */
    private void printTable(List<Snapshot> list, Function<Snapshot, List<String>> reasons) {
        List<Snapshot> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparing((Snapshot s) -> s.time().toInstant()).thenComparing(Snapshot::id));
        int hostWidth = Math.max(4, sorted.stream().mapToInt(s -> s.hostname().length()).max().orElse(0));
        int tagWidth = Math.max(4, sorted.stream().mapToInt(s -> compact
                ? s.tags().stream().mapToInt(String::length).max().orElse(0)
                : String.join(",", s.tags()).length()).max().orElse(0));
        List<String> header = new ArrayList<>(List.of("ID", "Time", "Host", "Tags"));
        List<Integer> widths = new ArrayList<>(List.of(8, 19, hostWidth, tagWidth));
        boolean withReasons = !compact && reasons != null;
        if (withReasons) {
            header.add("Reasons");
            widths.add(Math.max(7, sorted.stream().flatMap(s -> reasons.apply(s).stream())
                    .mapToInt(String::length).max().orElse(0)));
        }
        if (!compact) {
            header.add("Paths");
            widths.add(5);
        }
        String headerLine = row(header, widths);
        root.out.println(headerLine);
        String rule = "-".repeat(Math.max(headerLine.length(), 40));
        root.out.println(rule);
        for (Snapshot s : sorted) {
            List<List<String>> cells = new ArrayList<>();
            cells.add(List.of(s.id().shortHex()));
            cells.add(List.of(TIME.format(s.time())));
            cells.add(List.of(s.hostname()));
            cells.add(compact ? s.tags() : List.of(String.join(",", s.tags())));
            if (withReasons) {
                cells.add(reasons.apply(s));
            }
            if (!compact) {
                cells.add(s.paths());
            }
            int lines = cells.stream().mapToInt(List::size).max().orElse(1);
            for (int i = 0; i < Math.max(1, lines); i++) {
                List<String> line = new ArrayList<>();
                for (List<String> c : cells) {
                    line.add(i < c.size() ? c.get(i) : "");
                }
                root.out.println(row(line, widths));
            }
        }
        root.out.println(rule);
        root.out.println(sorted.size() + " snapshots");
    }

    private static String row(List<String> cells, List<Integer> widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(Math.max(0, widths.get(i) - c.length()) + 2));
            }
        }
        return sb.toString().stripTrailing();
    }
}
