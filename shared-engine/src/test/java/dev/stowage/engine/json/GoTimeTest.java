package dev.stowage.engine.json;

import dev.stowage.engine.StowageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Go's RFC3339Nano as restic writes every time (restic-format.md §6.3). */
class GoTimeTest {

    private static OffsetDateTime t(int nanos, ZoneOffset offset) {
        return OffsetDateTime.of(2022, 1, 2, 3, 4, 5, nanos, offset);
    }

    @Test
    void fractionIsTrimmedOfTrailingZerosAndOmittedWhenZero() {
        assertEquals("2022-01-02T03:04:05Z", GoTime.format(t(0, ZoneOffset.UTC)));
        assertEquals("2022-01-02T03:04:05.123456789Z", GoTime.format(t(123_456_789, ZoneOffset.UTC)));
        assertEquals("2022-01-02T03:04:05.12Z", GoTime.format(t(120_000_000, ZoneOffset.UTC)));
        assertEquals("2022-01-02T03:04:05.728226Z", GoTime.format(t(728_226_000, ZoneOffset.UTC)));
        assertEquals("2022-01-02T03:04:05.0000001Z", GoTime.format(t(100, ZoneOffset.UTC)));
        assertEquals("2022-01-02T03:04:05.000000001Z", GoTime.format(t(1, ZoneOffset.UTC)));
    }

    @Test
    void secondsAreAlwaysWritten() {
        assertEquals("2022-01-02T03:04:00Z", GoTime.format(OffsetDateTime.of(2022, 1, 2, 3, 4, 0, 0, ZoneOffset.UTC)));
        assertEquals("2022-01-02T00:00:00Z", GoTime.format(OffsetDateTime.of(2022, 1, 2, 0, 0, 0, 0, ZoneOffset.UTC)));
    }

    @Test
    void offsetsAreWrittenAsSignedHoursAndMinutes() {
        // restic 0.14 with TZ=Asia/Kolkata and --time '2022-01-02 03:04:05'
        assertEquals("2022-01-02T03:04:05+05:30", GoTime.format(t(0, ZoneOffset.ofHoursMinutes(5, 30))));
        assertEquals("2022-01-02T03:04:05.5-08:00", GoTime.format(t(500_000_000, ZoneOffset.ofHours(-8))));
        assertEquals("2022-01-02T03:04:05+14:00", GoTime.format(t(0, ZoneOffset.ofHours(14))));
    }

    @Test
    void offsetSecondsAreDroppedAsGoDoes() {
        // Local mean time offsets have seconds (Amsterdam before 1937: +00:19:32). Go's RFC3339
        // layout prints only hours and minutes of the offset, truncated towards zero, and could
        // not parse a seconds field back.
        OffsetDateTime lmt = OffsetDateTime.of(1890, 5, 6, 7, 8, 9, 0, ZoneOffset.ofHoursMinutesSeconds(0, 19, 32));
        assertEquals("1890-05-06T07:08:09+00:19", GoTime.format(lmt));
        OffsetDateTime west = OffsetDateTime.of(1890, 5, 6, 7, 8, 9, 0, ZoneOffset.ofHoursMinutesSeconds(-4, -56, -2));
        assertEquals("1890-05-06T07:08:09-04:56", GoTime.format(west));
        OffsetDateTime tiny = OffsetDateTime.of(1890, 5, 6, 7, 8, 9, 0, ZoneOffset.ofTotalSeconds(-30));
        assertEquals("1890-05-06T07:08:09+00:00", GoTime.format(tiny));
        // what a local time zone yields for an old file time (the exact LMT offset depends on tzdata)
        OffsetDateTime local = Instant.parse("1890-05-06T07:08:09Z").atZone(ZoneId.of("Europe/Amsterdam")).toOffsetDateTime();
        assertTrue(local.getOffset().getTotalSeconds() % 60 != 0, "tzdata has no LMT offset for " + local);
        assertTrue(GoTime.format(local).matches("1890-05-06T\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d"), GoTime.format(local));
    }

    @Test
    void yearsAreClampedToFourDigits() {
        assertEquals("9999-01-02T03:04:05Z", GoTime.format(OffsetDateTime.of(12345, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)));
        assertEquals("0000-01-02T03:04:05Z", GoTime.format(OffsetDateTime.of(-5, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)));
        assertEquals("0999-01-02T03:04:05Z", GoTime.format(OffsetDateTime.of(999, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)));
        // Go's zero time, which restic writes for unset times
        assertEquals("0001-01-01T00:00:00Z", GoTime.format(OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
    }

    @Test
    void parseAcceptsZeroToNineFractionDigitsAndAnyOffset() {
        assertEquals(t(0, ZoneOffset.UTC), GoTime.parse("2022-01-02T03:04:05Z"));
        assertEquals(t(100_000_000, ZoneOffset.UTC), GoTime.parse("2022-01-02T03:04:05.1Z"));
        assertEquals(t(120_000_000, ZoneOffset.UTC), GoTime.parse("2022-01-02T03:04:05.12Z"));
        assertEquals(t(123_456_789, ZoneOffset.UTC), GoTime.parse("2022-01-02T03:04:05.123456789Z"));
        assertEquals(t(123_456_700, ZoneOffset.UTC), GoTime.parse("2022-01-02T03:04:05.1234567Z"));
        assertEquals(t(0, ZoneOffset.ofHoursMinutes(5, 30)), GoTime.parse("2022-01-02T03:04:05+05:30"));
        assertEquals(t(1, ZoneOffset.ofHours(-7)), GoTime.parse("2022-01-02T03:04:05.000000001-07:00"));
        // the offset is kept, not converted
        assertEquals(ZoneOffset.ofHours(-7), GoTime.parse("2022-01-02T03:04:05-07:00").getOffset());
        // an explicit zero offset means the same instant as Z
        assertEquals(t(0, ZoneOffset.UTC).toInstant(), GoTime.parse("2022-01-02T03:04:05+00:00").toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2022-01-02", "2022-01-02 03:04:05Z", "2022-01-02T03:04:05", "2022-13-02T03:04:05Z",
        "2022-01-02T25:04:05Z", "yesterday"})
    void parseRejectsMalformedTimesNamingThem(String s) {
        StowageException e = assertThrows(StowageException.class, () -> GoTime.parse(s));
        assertTrue(e.getMessage().contains("invalid time \"" + s + "\""), e.getMessage());
    }

    @Test
    void formatAndParseRoundTrip() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            long seconds = rnd.nextLong(-62_135_596_800L + 86_400, 253_402_300_799L - 86_400); // years 1..9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(1000) * 1_000_000;
                case 2 -> rnd.nextInt(1_000_000) * 1000;
                default -> rnd.nextInt(1_000_000_000);
            };
            ZoneOffset off = ZoneOffset.ofTotalSeconds(rnd.nextInt(-18 * 4, 18 * 4 + 1) * 15 * 60);
            OffsetDateTime t = Instant.ofEpochSecond(seconds, nanos).atOffset(off);
            String s = GoTime.format(t);
            assertEquals(t, GoTime.parse(s), s);
        }
    }
}
