package dev.stowage.engine.handler;

import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.SnapshotSummary;
import dev.stowage.engine.event.FileStats;
import dev.stowage.engine.event.SnapshotReport;
import java.time.Duration;
import java.util.Locale;

/** Stash-shaped numbers and strings: Go durations and restic's byte sizes. */
public final class Reports {
    private Reports() {
    }

    /** Report of a snapshot from its recorded summary (the same numbers whether just made or found again). */
    static SnapshotReport snapshot(Snapshot s) {
        SnapshotSummary m = s.summary();
        String path = s.paths().isEmpty() ? "" : s.paths().get(0);
        if (m == null) {
            return new SnapshotReport(s.id().shortHex(), s.id().hex(), path, null, null, null, null);
        }
        return new SnapshotReport(s.id().shortHex(), s.id().hex(), path, bytes(m.totalBytesProcessed()),
                bytes(m.dataAdded()), duration(Duration.between(m.backupStart(), m.backupEnd())),
                new FileStats(m.totalFilesProcessed(), m.filesNew(), m.filesChanged(), m.filesUnmodified()));
    }

    /** restic's formatBytes: {@code 1.500 MiB}. */
    public static String bytes(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.3f %s", v, units[unit]);
    }

    /** Go's time.Duration.String, rounded to milliseconds: {@code 1h2m3.5s}, {@code 350ms}, {@code 0s}. */
    public static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        StringBuilder sb = new StringBuilder();
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        long s = ms / 1000 % 60;
        long frac = ms % 1000;
        sb.append(s);
        if (frac > 0) {
            sb.append('.').append(String.format(Locale.ROOT, "%03d", frac).replaceAll("0+$", ""));
        }
        return sb.append('s').toString();
    }
}
