package dev.stowage.engine.forget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ForgetPolicyTest {
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2030-01-01T00:00:00Z");
    private static final AtomicInteger NEXT = new AtomicInteger(1);
    private static final Id TREE = Id.hash(new byte[0]);

    static Snapshot snap(String time, String host, List<String> paths, String... tags) {
        return snap(NEXT.getAndIncrement(), time, host, paths, tags);
    }

    static Snapshot snap(int n, String time, String host, List<String> paths, String... tags) {
        byte[] id = new byte[32];
        id[0] = (byte) (n >> 8);
        id[1] = (byte) n;
        return new Snapshot(Id.of(id), OffsetDateTime.parse(time), null, TREE, paths, host, "u", 0, 0, null,
                List.of(tags), null, "", null);
    }

    static Snapshot at(String time, String... tags) {
        return snap(time, "h", List.of("/p"), tags);
    }

    static ForgetPolicy counts(int last, int hourly, int daily, int weekly, int monthly, int yearly) {
        return new ForgetPolicy(last, hourly, daily, weekly, monthly, yearly, null, null, null, null, null, null, null);
    }

    static ForgetPolicy within(String all, String hourly, String daily, String weekly, String monthly, String yearly) {
        return new ForgetPolicy(0, 0, 0, 0, 0, 0, KeepDuration.parse(all), KeepDuration.parse(hourly),
                KeepDuration.parse(daily), KeepDuration.parse(weekly), KeepDuration.parse(monthly),
                KeepDuration.parse(yearly), null);
    }

    static ForgetPolicy tags(List<List<String>> tags) {
        return new ForgetPolicy(0, 0, 0, 0, 0, 0, null, null, null, null, null, null, tags);
    }

    /** The kept snapshots' times, in the one group of {@code list}. */
    static List<String> kept(List<Snapshot> list, ForgetPolicy p) {
        List<GroupResult> r = Forget.apply(list, GroupBy.DEFAULT, p, NOW);
        assertEquals(1, r.size());
        assertEquals(list.size(), r.get(0).keep().size() + r.get(0).remove().size());
        return r.get(0).keep().stream().map(s -> s.time().toString()).toList();
    }

    @Test
    void keepLastKeepsTheNewest() {
        List<Snapshot> l = List.of(at("2020-01-01T10:00Z"), at("2020-01-03T10:00Z"), at("2020-01-02T10:00Z"));
        assertEquals(List.of("2020-01-03T10:00Z", "2020-01-02T10:00Z"), kept(l, counts(2, 0, 0, 0, 0, 0)));
        assertEquals(3, kept(l, counts(10, 0, 0, 0, 0, 0)).size());
    }

    @Test
    void hourlyKeepsTheNewestOfEachHour() {
        List<Snapshot> l = List.of(at("2020-01-01T10:05Z"), at("2020-01-01T10:30Z"), at("2020-01-01T11:10Z"),
                at("2020-01-02T10:10Z"));
        assertEquals(List.of("2020-01-02T10:10Z", "2020-01-01T11:10Z", "2020-01-01T10:30Z"),
                kept(l, counts(0, 3, 0, 0, 0, 0)));
    }

    @Test
    void dailyUsesTheSnapshotsOwnWallClock() {
        // same instant-day in UTC, but different local days at their recorded offsets
        List<Snapshot> l = List.of(at("2020-01-01T23:30+02:00"), at("2020-01-02T00:30+02:00"), at("2020-01-02T08:00+02:00"));
        assertEquals(List.of("2020-01-02T08:00+02:00", "2020-01-01T23:30+02:00"), kept(l, counts(0, 0, 5, 0, 0, 0)));
    }

    @Test
    void weeklyUsesIsoWeeksAcrossNewYear() {
        // 2020-12-31 (Thu) and 2021-01-03 (Sun) are both in ISO week 2020-W53; 2021-01-04 (Mon) starts 2021-W01;
        // 2019-12-30 (Mon) is in 2020-W01, 2019-12-29 (Sun) in 2019-W52
        List<Snapshot> l = List.of(at("2019-12-29T12:00Z"), at("2019-12-30T12:00Z"), at("2020-12-31T12:00Z"),
                at("2021-01-03T12:00Z"), at("2021-01-04T12:00Z"));
        assertEquals(List.of("2021-01-04T12:00Z", "2021-01-03T12:00Z", "2019-12-30T12:00Z", "2019-12-29T12:00Z"),
                kept(l, counts(0, 0, 0, 10, 0, 0)));
        assertEquals(List.of("2021-01-04T12:00Z", "2021-01-03T12:00Z"), kept(l, counts(0, 0, 0, 2, 0, 0)));
    }

    @Test
    void monthlyAndYearly() {
        List<Snapshot> l = List.of(at("2019-11-05T00:00Z"), at("2019-12-01T00:00Z"), at("2019-12-31T23:59Z"),
                at("2020-01-01T00:00Z"), at("2020-02-10T00:00Z"));
        assertEquals(List.of("2020-02-10T00:00Z", "2020-01-01T00:00Z", "2019-12-31T23:59Z"),
                kept(l, counts(0, 0, 0, 0, 3, 0)));
        assertEquals(List.of("2020-02-10T00:00Z", "2019-12-31T23:59Z"), kept(l, counts(0, 0, 0, 0, 0, 5)));
    }

    @Test
    void bucketsCombineAndReportReasonsAndCounters() {
        List<Snapshot> l = List.of(at("2020-01-01T10:00Z", "a"), at("2020-01-02T10:00Z"), at("2020-01-03T10:00Z", "a", "b"));
        GroupResult r = Forget.apply(l, GroupBy.DEFAULT, counts(3, 3, 3, 2, 2, 2), NOW).get(0);
        assertEquals(3, r.keep().size());
        KeepReason first = r.reasons().get(0);
        assertEquals(List.of("last snapshot", "hourly snapshot", "daily snapshot", "weekly snapshot",
                "monthly snapshot", "yearly snapshot"), first.matches());
        assertEquals(List.of(2, 2, 2, 1, 1, 1), first.counters());
        assertEquals(List.of("last snapshot", "hourly snapshot", "daily snapshot"), r.reasons().get(1).matches());
        assertEquals(List.of(0, 0, 0, 1, 1, 1), r.reasons().get(2).counters());
    }

    @Test
    void keepWithinUsesGoDateNormalisationAtMonthEnd() {
        // latest - 1m = "2021-02-31" = 2021-03-03 (Go); java.time would clamp to 2021-02-28
        List<Snapshot> l = List.of(at("2021-03-31T12:00Z"), at("2021-03-03T12:01Z"), at("2021-03-03T12:00Z"),
                at("2021-03-02T12:00Z"), at("2021-02-28T13:00Z"));
        assertEquals(List.of("2021-03-31T12:00Z", "2021-03-03T12:01Z"), kept(l, within("1m", "", "", "", "", "")));
        assertEquals("within 1m", Forget.apply(l, GroupBy.DEFAULT, within("1m", "", "", "", "", ""), NOW)
                .get(0).reasons().get(0).matches().get(0));
    }

    @Test
    void subtractFollowsGoAddDate() {
        assertEquals(OffsetDateTime.parse("2020-03-02T00:00Z"), KeepDuration.parse("1m").subtractFrom(OffsetDateTime.parse("2020-03-31T00:00Z")));
        assertEquals(OffsetDateTime.parse("2020-12-15T05:00Z"), KeepDuration.parse("1m").subtractFrom(OffsetDateTime.parse("2021-01-15T05:00Z")));
        assertEquals(OffsetDateTime.parse("2019-12-15T05:00Z"), KeepDuration.parse("13m").subtractFrom(OffsetDateTime.parse("2021-01-15T05:00Z")));
        assertEquals(OffsetDateTime.parse("2021-02-28T00:00Z"), KeepDuration.parse("1d").subtractFrom(OffsetDateTime.parse("2021-03-01T00:00Z")));
        // Feb 29 minus one year = "Feb 29 2019" = Mar 1 2019
        assertEquals(OffsetDateTime.parse("2019-03-01T10:00Z"), KeepDuration.parse("1y").subtractFrom(OffsetDateTime.parse("2020-02-29T10:00Z")));
        assertEquals(OffsetDateTime.parse("2020-02-28T22:00+01:00"), KeepDuration.parse("1d3h").subtractFrom(OffsetDateTime.parse("2020-03-01T01:00+01:00")));
    }

    @Test
    void keepWithinIgnoresSnapshotsInTheFutureAsAnchor() {
        List<Snapshot> l = List.of(at("2040-01-01T00:00Z"), at("2029-12-31T12:00Z"), at("2029-12-29T12:00Z"));
        assertEquals(List.of("2040-01-01T00:00Z", "2029-12-31T12:00Z"), kept(l, within("1d", "", "", "", "", "")));
        // all in the future: Go's zero time anchors, so everything is within
        List<Snapshot> future = List.of(at("2040-01-01T00:00Z"), at("2031-01-01T00:00Z"));
        assertEquals(2, kept(future, within("1d", "", "", "", "", "")).size());
    }

    @Test
    void withinBucketsKeepOnePerPeriodInRange() {
        List<Snapshot> l = List.of(at("2020-01-10T10:00Z"), at("2020-01-10T09:00Z"), at("2020-01-09T10:00Z"),
                at("2020-01-08T10:00Z"), at("2020-01-07T10:00Z"));
        // strictly newer than latest - 2d: 2020-01-08T10:00 is not
        assertEquals(List.of("2020-01-10T10:00Z", "2020-01-09T10:00Z"), kept(l, within("", "", "2d", "", "", "")));
        assertEquals(List.of("2020-01-10T10:00Z", "2020-01-10T09:00Z", "2020-01-09T10:00Z"),
                kept(l, within("", "1h1d", "", "", "", "")));
        GroupResult r = Forget.apply(l, GroupBy.DEFAULT, within("", "", "2d", "", "", ""), NOW).get(0);
        assertEquals(List.of("daily within 2d"), r.reasons().get(0).matches());
    }

    @Test
    void keepTagNeedsAllTagsOfOneListAndEmptyTagMatchesUntagged() {
        List<Snapshot> l = List.of(at("2020-01-01T10:00Z", "a"), at("2020-01-02T10:00Z"), at("2020-01-03T10:00Z", "a", "b"));
        assertEquals(List.of("2020-01-03T10:00Z"), kept(l, tags(List.of(List.of("b", "a")))));
        assertEquals(List.of("2020-01-03T10:00Z", "2020-01-01T10:00Z"), kept(l, tags(List.of(List.of("a")))));
        assertEquals(List.of("2020-01-02T10:00Z"), kept(l, tags(List.of(List.of("")))));
        assertEquals(List.of(), kept(l, tags(List.of(List.of("a", "", "b")))));
        GroupResult r = Forget.apply(l, GroupBy.DEFAULT, tags(List.of(List.of("a"), List.of("b", "a"))), NOW).get(0);
        assertEquals(List.of("has tags [a]", "has tags [b, a]"), r.reasons().get(0).matches());
    }

    @Test
    void emptyPolicyKeepsEverything() {
        List<Snapshot> l = List.of(at("2020-01-01T10:00Z"), at("2020-01-02T10:00Z"));
        assertTrue(ForgetPolicy.NONE.isEmpty());
        assertTrue(within("0d", "", "", "", "", "").isEmpty());
        assertEquals(2, kept(l, ForgetPolicy.NONE).size());
    }

    @Test
    void negativeCountsAreRefused() {
        assertThrows(StowageException.class, () -> counts(-1, 0, 0, 0, 0, 0));
    }

    @Test
    void groupingByHostPathsAndTags() {
        List<Snapshot> l = List.of(snap("2020-01-01T10:00Z", "h1", List.of("/b", "/a")),
                snap("2020-01-02T10:00Z", "h1", List.of("/a", "/b"), "x"),
                snap("2020-01-03T10:00Z", "h2", List.of("/a", "/b"), "x"),
                snap("2020-01-04T10:00Z", "h2", List.of("/c")));
        var byDefault = Forget.group(l, GroupBy.DEFAULT);
        assertEquals(List.of(new GroupKey("h1", List.of("/a", "/b"), null), new GroupKey("h2", List.of("/a", "/b"), null),
                new GroupKey("h2", List.of("/c"), null)), List.copyOf(byDefault.keySet()));
        assertEquals(2, byDefault.get(new GroupKey("h1", List.of("/a", "/b"), null)).size());
        var byTags = Forget.group(l, GroupBy.parse("tags"));
        assertEquals(List.of(new GroupKey("", null, null), new GroupKey("", null, List.of("x"))), List.copyOf(byTags.keySet()));
        assertEquals(1, Forget.group(l, GroupBy.parse("")).size());
        assertEquals(4, Forget.group(l, GroupBy.parse("host,paths,tags")).size());
        assertThrows(StowageException.class, () -> GroupBy.parse("hosts"));
        List<GroupResult> r = Forget.apply(l, GroupBy.DEFAULT, counts(1, 0, 0, 0, 0, 0), NOW);
        assertEquals(3, r.size());
        assertEquals(1, r.get(0).remove().size());
    }

    @Test
    void equalTimesAreOrderedById() {
        Snapshot a = snap(7, "2020-01-01T10:00Z", "h", List.of("/p"));
        Snapshot b = snap(3, "2020-01-01T10:00Z", "h", List.of("/p"));
        Snapshot c = snap(5, "2020-01-01T11:00+01:00", "h", List.of("/p")); // same instant
        List<Snapshot> l = new ArrayList<>(List.of(a, b, c));
        for (int i = 0; i < 3; i++) {
            Collections.rotate(l, 1);
            GroupResult r = Forget.apply(l, GroupBy.DEFAULT, counts(1, 0, 0, 0, 0, 0), NOW).get(0);
            assertEquals(List.of(b), r.keep());
            assertEquals(List.of(c, a), r.remove());
        }
    }

    @Test
    void durationSyntax() {
        assertEquals(new KeepDuration(6, 5, 234, 37), KeepDuration.parse("37h6y234d5m"));
        assertEquals(new KeepDuration(1, 0, 0, 0), KeepDuration.parse("2y1y"));
        assertEquals(new KeepDuration(0, 0, -1, 0), KeepDuration.parse("-1d"));
        assertEquals(KeepDuration.ZERO, KeepDuration.parse(""));
        assertEquals("1y2d", KeepDuration.parse("2d1y").toString());
        assertEquals("no unit found after number 5", assertThrows(StowageException.class, () -> KeepDuration.parse("5")).getMessage());
        assertEquals("invalid unit 'x' found after number 1", assertThrows(StowageException.class, () -> KeepDuration.parse("1x")).getMessage());
        assertEquals("invalid unit 'D' found after number 1", assertThrows(StowageException.class, () -> KeepDuration.parse("1D")).getMessage());
        assertThrows(StowageException.class, () -> KeepDuration.parse("d"));
    }

    @Test
    void describeMatchesRestic() {
        assertEquals("keep 3 latest, 2 yearly snapshots, hourly snapshots within 2d, yearly snapshots within 3y"
                + " and all snapshots with tags [[a, b] []] and all snapshots within 1y2m3d4h of the newest",
                new ForgetPolicy(3, 0, 0, 0, 0, 2, KeepDuration.parse("1y2m3d4h"), KeepDuration.parse("2d"), null, null,
                        null, KeepDuration.parse("3y"), List.of(List.of("a", "b"), List.of(""))).describe());
        assertEquals("keep daily snapshots within 2d", within("", "", "2d", "", "", "").describe());
        assertEquals("keep all snapshots with tags [[a]]", tags(List.of(List.of("a"))).describe());
    }

    @Test
    void jsonHasResticsShape() {
        List<Snapshot> l = List.of(at("2020-01-01T10:00Z"), at("2020-01-02T10:00Z"));
        JsonWriter w = new JsonWriter();
        Forget.writeJson(w, Forget.apply(l, GroupBy.parse("host"), counts(1, 0, 0, 0, 0, 0), NOW));
        String json = new String(w.toByteArray(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("[{\"tags\":null,\"host\":\"h\",\"paths\":null,\"keep\":[{\"time\":\"2020-01-02T10:00:00Z\""), json);
        assertTrue(json.contains("\"reasons\":[{\"snapshot\":{\"time\":\"2020-01-02T10:00:00Z\""), json);
        assertTrue(json.endsWith("\"matches\":[\"last snapshot\"],\"counters\":{}}]}]"), json);
    }
}
