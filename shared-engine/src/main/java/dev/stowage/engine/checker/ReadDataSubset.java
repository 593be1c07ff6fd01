package dev.stowage.engine.checker;

import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which packs {@code check --read-data-subset} reads, with restic 0.14's rules: {@code n/t} reads
 * the packs whose first ID byte modulo t is n-1 (t at most 256); {@code x%} reads that share of
 * the packs, chosen at random (at least one); a size ({@code 500M}) reads a random share of the
 * packs equal to that size's share of the total pack size.
 */
public sealed interface ReadDataSubset {
    /** Every pack ({@code --read-data}). */
    record All() implements ReadDataSubset {
    }

    /** Group {@code n} of {@code t}. */
    record Bucket(int n, int t) implements ReadDataSubset {
    }

    record Percentage(double percent) implements ReadDataSubset {
    }

    record Size(long bytes) implements ReadDataSubset {
    }

    int MAX_BUCKETS = 256;

    /** Parses the flag's value; throws a StowageException saying what is accepted. */
    static ReadDataSubset parse(String s) {
        String v = s.trim();
        try {
            if (v.contains("/")) {
                String[] parts = v.split("/", -1);
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                int n = Integer.parseInt(parts[0]);
                int t = Integer.parseInt(parts[1]);
                if (n < 1 || t < 1 || n > t) {
                    throw new StowageException("--read-data-subset " + s + ": n and t must be positive integers with n <= t, e.g. 3/5");
                }
                if (t > MAX_BUCKETS) {
                    throw new StowageException("--read-data-subset " + s + ": t must be at most " + MAX_BUCKETS);
                }
                return new Bucket(n, t);
            }
            if (v.endsWith("%")) {
                double p = Double.parseDouble(v.substring(0, v.length() - 1));
                if (!(p > 0 && p <= 100)) {
                    throw new StowageException("--read-data-subset " + s + ": the percentage must be above 0% and at most 100%");
                }
                return new Percentage(p);
            }
            long unit = 1;
            char last = Character.toLowerCase(v.isEmpty() ? ' ' : v.charAt(v.length() - 1));
            int exp = "kmgt".indexOf(last);
            if (exp >= 0) {
                unit = 1L << (10 * (exp + 1));
                v = v.substring(0, v.length() - 1);
            }
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return new Size(Math.multiplyExact(n, unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new StowageException("--read-data-subset " + s + " is invalid: use n/t (e.g. 2/5), x% or x.y% (e.g. 10%),"
                    + " or a size with k/M/G/T suffix (e.g. 500M)");
        }
    }

    /** A line like restic's saying what is read, given how many packs were selected out of how many. */
    default String describe(int selected, int total) {
        if (this instanceof Bucket b) {
            return "read group #" + b.n + " of " + selected + " data packs (out of total " + total + " packs in "
                    + b.t + " groups)";
        }
        if (this instanceof Percentage p) {
            return String.format(Locale.ROOT, "read %.1f%% of data packs", p.percent);
        }
        if (this instanceof Size sz) {
            return "read " + sz.bytes + " bytes of data packs (" + selected + " of " + total + " packs)";
        }
        return "read all data";
    }

    /** The packs to read out of {@code packs} (pack ID to size). */
    default List<Id> select(Map<Id, Long> packs, Random random) {
        List<Id> all = new ArrayList<>(new TreeMap<>(packs).keySet());
        if (this instanceof All) {
            return all;
        }
        if (this instanceof Bucket b) {
            return all.stream().filter(id -> (id.toBytes()[0] & 0xff) % b.t == b.n - 1).toList();
        }
        double percent;
        if (this instanceof Percentage p) {
            percent = p.percent;
        } else {
            long total = packs.values().stream().mapToLong(Long::longValue).sum();
            percent = total == 0 ? 100 : 100.0 * ((Size) this).bytes / total;
        }
        int count = (int) (all.size() * (percent / 100.0));
        count = Math.min(all.size(), Math.max(all.isEmpty() ? 0 : 1, count));
        List<Id> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, random);
        List<Id> chosen = new ArrayList<>(shuffled.subList(0, count));
        Collections.sort(chosen);
        return chosen;
    }
}
