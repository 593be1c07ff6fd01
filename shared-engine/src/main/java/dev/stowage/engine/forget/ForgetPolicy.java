package dev.stowage.engine.forget;

import dev.stowage.engine.StowageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A retention policy: restic's {@code --keep-*} flags. Counts are 0 when unused; durations are
 * {@link KeepDuration#ZERO} when unused; {@code keepTags} holds tag lists, each of which keeps the
 * snapshots that have all of its tags (a list {@code [""]} keeps untagged snapshots).
 *
 * <p>Negative counts are refused. restic 0.14 accepts them, ignores the bucket, yet counts the
 * policy as non-empty (so {@code --keep-last -1} alone removes every snapshot); restic 0.16+ reads
 * {@code -1} as "unlimited". Refusing avoids both surprises.
 */
public record ForgetPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
                           int keepYearly, KeepDuration keepWithin, KeepDuration keepWithinHourly,
                           KeepDuration keepWithinDaily, KeepDuration keepWithinWeekly,
                           KeepDuration keepWithinMonthly, KeepDuration keepWithinYearly,
                           List<List<String>> keepTags) {
    public static final ForgetPolicy NONE = new ForgetPolicy(0, 0, 0, 0, 0, 0, KeepDuration.ZERO, KeepDuration.ZERO,
            KeepDuration.ZERO, KeepDuration.ZERO, KeepDuration.ZERO, KeepDuration.ZERO, List.of());

    public ForgetPolicy {
        for (int n : new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly}) {
            if (n < 0) {
                throw new StowageException("--keep-* counts must not be negative (got " + n + ")");
            }
        }
        keepWithin = Objects.requireNonNullElse(keepWithin, KeepDuration.ZERO);
        keepWithinHourly = Objects.requireNonNullElse(keepWithinHourly, KeepDuration.ZERO);
        keepWithinDaily = Objects.requireNonNullElse(keepWithinDaily, KeepDuration.ZERO);
        keepWithinWeekly = Objects.requireNonNullElse(keepWithinWeekly, KeepDuration.ZERO);
        keepWithinMonthly = Objects.requireNonNullElse(keepWithinMonthly, KeepDuration.ZERO);
        keepWithinYearly = Objects.requireNonNullElse(keepWithinYearly, KeepDuration.ZERO);
        keepTags = keepTags == null ? List.of() : keepTags.stream().map(List::copyOf).toList();
    }

    public ForgetPolicy withKeepLast(int n) {
        return new ForgetPolicy(n, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin,
                keepWithinHourly, keepWithinDaily, keepWithinWeekly, keepWithinMonthly, keepWithinYearly, keepTags);
    }

    /** The counts in bucket order: last, hourly, daily, weekly, monthly, yearly. */
    int[] counts() {
        return new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly};
    }

    /** The within-bucket durations in bucket order: hourly, daily, weekly, monthly, yearly. */
    KeepDuration[] withinBuckets() {
        return new KeepDuration[] {keepWithinHourly, keepWithinDaily, keepWithinWeekly, keepWithinMonthly,
            keepWithinYearly};
    }

    /**
     * True when no rule is set. restic 0.14 then keeps everything ("no policy was specified, no
     * snapshots will be removed"); restic 0.17+ refuses instead unless {@code --unsafe-allow-remove-all}.
     */
    public boolean isEmpty() {
        for (int n : counts()) {
            if (n != 0) {
                return false;
            }
        }
        for (KeepDuration d : withinBuckets()) {
            if (!d.isZero()) {
                return false;
            }
        }
        return keepTags.isEmpty() && keepWithin.isZero();
    }

    /** restic 0.14's description, e.g. {@code keep 2 latest snapshots and all snapshots with tags [[a]]}. */
    public String describe() {
        String[] names = {"latest", "hourly", "daily", "weekly", "monthly", "yearly"};
        int[] counts = counts();
        List<String> keeps = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                keeps.add(counts[i] + " " + names[i]);
            }
        }
        String s = keeps.isEmpty() ? "" : String.join(", ", keeps) + " snapshots";
        KeepDuration[] within = withinBuckets();
        List<String> withins = new ArrayList<>();
        for (int i = 0; i < within.length; i++) {
            if (!within[i].isZero()) {
                withins.add(names[i + 1] + " snapshots within " + within[i]);
            }
        }
        if (!withins.isEmpty()) {
            s += (s.isEmpty() ? "" : ", ") + String.join(", ", withins);
        }
        s = s.isEmpty() ? "keep " : "keep " + s;
        boolean more = !keeps.isEmpty() || !withins.isEmpty();
        if (!keepTags.isEmpty()) {
            s += (more ? " and " : "") + "all snapshots with tags "
                    + "[" + String.join(" ", keepTags.stream().map(ForgetPolicy::tagList).toList()) + "]";
            more = true;
        }
        if (!keepWithin.isZero()) {
            s += (more ? " and " : "") + "all snapshots within " + keepWithin + " of the newest";
        }
        return s;
    }

    /** restic's TagList notation: {@code [a, b]}. */
    static String tagList(List<String> tags) {
        return "[" + String.join(", ", tags) + "]";
    }
}
