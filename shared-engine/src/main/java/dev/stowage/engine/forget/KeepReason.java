package dev.stowage.engine.forget;

import dev.stowage.engine.data.Snapshot;
import java.util.List;

/**
 * Why a snapshot is kept: restic's match texts ({@code last snapshot}, {@code daily within 2d},
 * {@code has tags [a, b]}, ...) and the bucket counts left after it (last, hourly, daily,
 * weekly, monthly, yearly).
 */
public record KeepReason(Snapshot snapshot, List<String> matches, List<Integer> counters) {
    public static final List<String> COUNTER_NAMES = List.of("last", "hourly", "daily", "weekly", "monthly", "yearly");

    public KeepReason {
        matches = List.copyOf(matches);
        counters = List.copyOf(counters);
    }
}
