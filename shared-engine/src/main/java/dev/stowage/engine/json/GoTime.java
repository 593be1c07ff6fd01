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
        // written by hand: three times per node make DateTimeFormatter show up in profiles
        StringBuilder sb = new StringBuilder(35);
        digits(sb, Math.max(0, Math.min(9999, t.getYear())), 4).append('-');
        digits(sb, t.getMonthValue(), 2).append('-');
        digits(sb, t.getDayOfMonth(), 2).append('T');
        digits(sb, t.getHour(), 2).append(':');
        digits(sb, t.getMinute(), 2).append(':');
        digits(sb, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) {
            int len = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                len--;
            }
            digits(sb.append('.'), nano, len);
        }
        int offset = t.getOffset().getTotalSeconds();
        if (offset == 0) {
            return sb.append('Z').toString();
        }
        // Go prints only the hours and minutes of an offset (local mean time offsets such as
        // +00:19:32 have seconds), truncated towards zero, and could not parse seconds
        int minutes = offset / 60;
        sb.append(minutes < 0 ? '-' : '+');
        minutes = Math.abs(minutes);
        digits(sb, minutes / 60, 2).append(':');
        return digits(sb, minutes % 60, 2).toString();
    }

    private static StringBuilder digits(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
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
