package dev.stowage.engine.lock;

import java.time.Duration;

/**
 * When a held lock is refreshed and when it is given up, as in restic 0.16: refreshed every five
 * minutes, considered stale by others after thirty, and lost — the operation stops — once it has
 * not been refreshed for {@link #abortAfter()} (22.5 minutes), a margin of one and a half refresh
 * intervals before others may remove it.
 *
 * @param refreshInterval time between refreshes
 * @param retryInterval   time before a failed refresh is tried again
 * @param staleAfter      age at which any lock counts as stale and may be removed by others
 */
public record LockTiming(Duration refreshInterval, Duration retryInterval, Duration staleAfter) {
    /** restic's timing: 5 minutes, retried after 1, stale after 30. */
    public static final LockTiming DEFAULT = new LockTiming(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(30));

    public LockTiming {
        if (refreshInterval.isNegative() || refreshInterval.isZero() || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("refresh intervals must be positive");
        }
        Duration margin = staleAfter.minus(refreshInterval.multipliedBy(3).dividedBy(2));
        if (margin.isNegative() || margin.isZero()) {
            throw new IllegalArgumentException("staleAfter must exceed 1.5 refresh intervals");
        }
    }

    /** How long a lock may go without a successful refresh before its holder must stop. */
    public Duration abortAfter() {
        return staleAfter.minus(refreshInterval.multipliedBy(3).dividedBy(2));
    }
}
