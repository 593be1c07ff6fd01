package dev.stowage.engine.forget;

import dev.stowage.engine.Id;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.NotFoundException;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.json.JsonWriter;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Applies a {@link ForgetPolicy} to snapshots, as restic 0.14's {@code forget} does, and removes
 * snapshot files. The policy functions are pure; only {@link #remove} touches a repository (the
 * caller holds an exclusive lock).
 */
public final class Forget {
    private static final String[] BUCKET_LABELS = {"last snapshot", "hourly snapshot", "daily snapshot",
        "weekly snapshot", "monthly snapshot", "yearly snapshot"};
    private static final String[] WITHIN_LABELS = {"hourly within ", "daily within ", "weekly within ",
        "monthly within ", "yearly within "};

    /** Newest first; equal times by ID so that the outcome does not depend on load order (restic's does). */
    static final Comparator<Snapshot> NEWEST_FIRST = Comparator.comparing(Snapshot::time,
            Comparator.comparing(OffsetDateTime::toInstant)).reversed().thenComparing(Snapshot::id);

    private Forget() {
    }

    /**
     * restic's HasTags: true if {@code s} has every tag of {@code tags}; a {@code ""} entry matches
     * a snapshot without tags. An empty list matches everything.
     */
    public static boolean hasTags(Snapshot s, List<String> tags) {
        for (String t : tags) {
            if (t.isEmpty() && s.tags().isEmpty()) {
                return true;
            }
            if (!s.tags().contains(t)) {
                return false;
            }
        }
        return true;
    }

    /** restic's tag filter: no lists match everything, else any list whose tags the snapshot all has. */
    public static boolean hasAnyTags(Snapshot s, List<List<String>> lists) {
        return lists.isEmpty() || lists.stream().anyMatch(l -> hasTags(s, l));
    }

    /** Splits snapshots into groups, in {@link GroupKey} order, each list newest first. */
    public static Map<GroupKey, List<Snapshot>> group(Collection<Snapshot> snapshots, GroupBy by) {
        Map<GroupKey, List<Snapshot>> groups = new TreeMap<>();
        for (Snapshot s : snapshots) {
            groups.computeIfAbsent(GroupKey.of(s, by), k -> new ArrayList<>()).add(s);
        }
        groups.values().forEach(l -> l.sort(NEWEST_FIRST));
        return groups;
    }

    /** Groups the snapshots and applies the policy to each group; {@code now} decides which times are in the future. */
    public static List<GroupResult> apply(Collection<Snapshot> snapshots, GroupBy by, ForgetPolicy policy,
                                          OffsetDateTime now) {
        List<GroupResult> results = new ArrayList<>();
        group(snapshots, by).forEach((key, list) -> results.add(applyToGroup(key, list, policy, now)));
        return results;
    }

    /**
     * The policy on one group. An empty policy keeps everything without reasons (restic 0.14's
     * command prints "no policy was specified" and does not apply it at all).
     */
    public static GroupResult applyToGroup(GroupKey key, List<Snapshot> snapshots, ForgetPolicy policy,
                                           OffsetDateTime now) {
        List<Snapshot> list = new ArrayList<>(snapshots);
        list.sort(NEWEST_FIRST);
        if (policy.isEmpty()) {
            return new GroupResult(key, list, List.of(), List.of());
        }
        // the newest snapshot that is not in the future anchors every keep-within rule; if all are
        // in the future, Go's zero time makes every snapshot "within"
        OffsetDateTime latest = list.stream().map(Snapshot::time).filter(t -> !t.toInstant().isAfter(now.toInstant()))
                .max(Comparator.comparing(OffsetDateTime::toInstant)).orElse(null);

        List<ToLongFunction<OffsetDateTime>> bucketFns = List.of(
                t -> 0, // replaced by the snapshot's position for "last"
                t -> t.getYear() * 1_000_000L + t.getMonthValue() * 10_000L + t.getDayOfMonth() * 100L + t.getHour(),
                t -> t.getYear() * 10_000L + t.getMonthValue() * 100L + t.getDayOfMonth(),
                t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
                t -> t.getYear() * 100L + t.getMonthValue(),
                t -> t.getYear());
        int[] counts = policy.counts();
        long[] lastValue = new long[counts.length];
        Arrays.fill(lastValue, Long.MIN_VALUE);
        KeepDuration[] within = policy.withinBuckets();
        long[] lastWithinValue = new long[within.length];
        Arrays.fill(lastWithinValue, Long.MIN_VALUE);

        List<Snapshot> keep = new ArrayList<>();
        List<Snapshot> remove = new ArrayList<>();
        List<KeepReason> reasons = new ArrayList<>();
        for (int nr = 0; nr < list.size(); nr++) {
            Snapshot cur = list.get(nr);
            List<String> matches = new ArrayList<>();
            for (List<String> tags : policy.keepTags()) {
                if (hasTags(cur, tags)) {
                    matches.add("has tags " + ForgetPolicy.tagList(tags));
                }
            }
            if (!policy.keepWithin().isZero() && isWithin(cur, latest, policy.keepWithin())) {
                matches.add("within " + policy.keepWithin());
            }
            // restic 0.16+ also keeps the group's oldest snapshot when a bucket still has count left
            // (or, for within-buckets, it is in range) although its period was already seen
            // ("oldest ..." reasons); restic 0.14, which this follows, does not
            for (int b = 0; b < counts.length; b++) {
                if (counts[b] > 0) {
                    long value = b == 0 ? nr : bucketFns.get(b).applyAsLong(cur.time());
                    if (value != lastValue[b]) {
                        matches.add(BUCKET_LABELS[b]);
                        lastValue[b] = value;
                        counts[b]--;
                    }
                }
            }
            for (int b = 0; b < within.length; b++) {
                if (!within[b].isZero() && isWithin(cur, latest, within[b])) {
                    long value = bucketFns.get(b + 1).applyAsLong(cur.time());
                    if (value != lastWithinValue[b]) {
                        matches.add(WITHIN_LABELS[b] + within[b]);
                        lastWithinValue[b] = value;
                    }
                }
            }
            if (matches.isEmpty()) {
                remove.add(cur);
            } else {
                keep.add(cur);
                reasons.add(new KeepReason(cur, matches, Arrays.stream(counts).boxed().toList()));
            }
        }
        return new GroupResult(key, keep, remove, reasons);
    }

    /** {@code cur.time > latest - d}, strictly; a null {@code latest} is Go's zero time (year 1). */
    private static boolean isWithin(Snapshot cur, OffsetDateTime latest, KeepDuration d) {
        if (latest == null) {
            return true;
        }
        return cur.time().toInstant().isAfter(d.subtractFrom(latest).toInstant());
    }

    /**
     * Writes restic's {@code forget --json} array: per group {@code tags}, {@code host},
     * {@code paths}, {@code keep}, {@code remove}, {@code reasons} (empty lists are {@code null}).
     */
    public static void writeJson(JsonWriter w, List<GroupResult> groups) {
        w.beginArray();
        for (GroupResult g : groups) {
            w.beginObject();
            w.name("tags");
            strings(w, g.key().tags());
            w.name("host").value(g.key().host());
            w.name("paths");
            strings(w, g.key().paths());
            w.name("keep");
            snapshots(w, g.keep());
            w.name("remove");
            snapshots(w, g.remove());
            w.name("reasons");
            if (g.reasons().isEmpty()) {
                w.nullValue();
            } else {
                w.beginArray();
                for (KeepReason r : g.reasons()) {
                    w.beginObject().name("snapshot");
                    r.snapshot().writeJson(w, false);
                    w.name("matches");
                    strings(w, r.matches());
                    w.name("counters").beginObject();
                    for (int i = 0; i < r.counters().size(); i++) {
                        if (r.counters().get(i) != 0) {
                            w.name(KeepReason.COUNTER_NAMES.get(i)).value(r.counters().get(i));
                        }
                    }
                    w.endObject().endObject();
                }
                w.endArray();
            }
            w.endObject();
        }
        w.endArray();
    }

    private static void strings(JsonWriter w, List<String> l) {
        if (l == null) {
            w.nullValue();
            return;
        }
        w.beginArray();
        l.forEach(w::value);
        w.endArray();
    }

    private static void snapshots(JsonWriter w, List<Snapshot> l) {
        if (l.isEmpty()) {
            w.nullValue();
            return;
        }
        w.beginArray();
        for (Snapshot s : l) {
            s.writeJson(w, true);
        }
        w.endArray();
    }

    /** Deletes snapshot files; ones already gone are skipped. The caller holds an exclusive lock. */
    public static int remove(Repository repo, Collection<Id> ids) throws IOException {
        int removed = 0;
        for (Id id : ids) {
            try {
                repo.backend().remove(new Handle(FileType.SNAPSHOT, id.hex()));
                removed++;
            } catch (NotFoundException e) {
                // removed meanwhile
            }
        }
        return removed;
    }
}
