package dev.stowage.engine.json;

import dev.stowage.engine.StowageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /** {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)}, or null if {@code s} has another shape. */
    private static OffsetDateTime parseCanonical(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        int i = 19;
        int nano = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && Character.isDigit(s.charAt(i))) {
                nano = nano * 10 + (s.charAt(i++) - '0');
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nano *= 10;
            }
        }
        ZoneOffset offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int h = number(s, i + 1, 2);
            int m = number(s, i + 4, 2);
            if (h < 0 || m < 0 || h > 18 || m > 59) {
                return null;
            }
            int total = (h * 3600 + m * 60) * (s.charAt(i) == '-' ? -1 : 1);
            offset = ZoneOffset.ofTotalSeconds(total);
        } else {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano, offset);
        } catch (java.time.DateTimeException e) {
            return null; // e.g. February 30th: let the general parser report it
        }
    }

    /** The decimal number of {@code len} digits at {@code from}, or -1 if they are not all digits. */
    private static int number(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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
        // trees hold three times per node: the usual shape is parsed directly, anything else
        // goes through the general (slower) parser
        OffsetDateTime fast = parseCanonical(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new StowageException("invalid time \"" + s + "\": " + e.getMessage(), e);
        }
    }
}
