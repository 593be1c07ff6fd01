package dev.stowage.engine.forget;

import dev.stowage.engine.StowageException;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * restic's calendar duration {@code [Ny][Nm][Nd][Nh]} (units in any order, a repeated unit
 * overwrites the earlier one, a leading {@code -} negates a number), as used by
 * {@code --keep-within*}.
 */
public record KeepDuration(int years, int months, int days, int hours) {
    public static final KeepDuration ZERO = new KeepDuration(0, 0, 0, 0);

    /**
     * Parses restic's syntax; the empty string is the zero duration.
     *
     * @throws StowageException with restic's message for malformed input
     */
    public static KeepDuration parse(String s) {
        int y = 0;
        int m = 0;
        int d = 0;
        int h = 0;
        int i = 0;
        while (i < s.length()) {
            boolean negative = s.charAt(i) == '-';
            if (negative) {
                i++;
            }
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start) {
                throw new StowageException("no number found");
            }
            int n;
            try {
                n = Integer.parseInt(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new StowageException("number " + s.substring(start, i) + " is out of range");
            }
            n = negative ? -n : n;
            if (i == s.length()) {
                throw new StowageException("no unit found after number " + n);
            }
            char unit = s.charAt(i++);
            switch (unit) {
                case 'y' -> y = n;
                case 'm' -> m = n;
                case 'd' -> d = n;
                case 'h' -> h = n;
                default -> throw new StowageException("invalid unit '" + unit + "' found after number " + n);
            }
        }
        return new KeepDuration(y, m, d, h);
    }

    public boolean isZero() {
        return years == 0 && months == 0 && days == 0 && hours == 0;
    }

    /**
     * {@code t} minus this duration as Go computes {@code t.AddDate(-y, -m, -d).Add(-h hours)}:
     * the date is normalised like Go's {@code time.Date} (month overflow carries into the year,
     * day overflow rolls into the next month: March 31 minus one month is "February 31", i.e.
     * March 3 or 2), not clamped as {@code java.time.minusMonths} does. The wall clock and offset
     * of {@code t} are kept (restic keeps the parsed offset; with a DST-observing local zone Go may
     * pick another offset across a transition, which is not replicated).
     */
    public OffsetDateTime subtractFrom(OffsetDateTime t) {
        long month0 = (long) t.getMonthValue() - 1 - months;
        long year = (long) t.getYear() - years + Math.floorDiv(month0, 12);
        int month = (int) Math.floorMod(month0, 12) + 1;
        LocalDate date = LocalDate.of(Math.toIntExact(year), month, 1)
                .plusDays((long) t.getDayOfMonth() - 1 - days);
        return OffsetDateTime.of(date, t.toLocalTime(), t.getOffset()).minusHours(hours);
    }

    /** restic's notation, leaving out zero units ({@code 1y2d}); empty for zero. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (years != 0) {
            sb.append(years).append('y');
        }
        if (months != 0) {
            sb.append(months).append('m');
        }
        if (days != 0) {
            sb.append(days).append('d');
        }
        if (hours != 0) {
            sb.append(hours).append('h');
        }
        return sb.toString();
    }
}
