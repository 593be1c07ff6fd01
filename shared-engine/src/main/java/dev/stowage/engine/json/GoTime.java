package dev.stowage.engine.json;

import dev.stowage.engine.StowageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Go's RFC3339Nano, the format of every time restic writes. */
public final class GoTime {
    private GoTime() {
    }

    /**
     * Formats like Go: fraction without trailing zeros (omitted when zero), {@code Z} for UTC.
     * Years are clamped to 0..9999 as restic does for node times. An offset with seconds is written
     * without them, as Go does.
     */
    public static String format(OffsetDateTime t) {
        if (t.getYear() > 9999) {
            t = t.withYear(9999);
        } else if (t.getYear() < 0) {
            t = t.withYear(0);
        }
        int offset = t.getOffset().getTotalSeconds();
        if (offset % 60 != 0) {
            // Go's layout prints only the hours and minutes of an offset (local mean time offsets
            // such as +00:19:32 have seconds), truncated towards zero, and could not parse seconds
            int minutes = offset / 60;
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t) + (minutes < 0 ? '-' : '+')
                    + String.format("%02d:%02d", Math.abs(minutes) / 60, Math.abs(minutes) % 60);
        }
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    /** The instant at the local time-zone offset of this machine, as Go's {@code time.Now()} prints. */
    public static OffsetDateTime local(Instant instant) {
        return instant.atZone(ZoneId.systemDefault()).toOffsetDateTime();
    }

    /** Parses RFC3339 with 0 to 9 fraction digits and any offset. */
    public static OffsetDateTime parse(String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new StowageException("invalid time \"" + s + "\": " + e.getMessage(), e);
        }
    }
}
