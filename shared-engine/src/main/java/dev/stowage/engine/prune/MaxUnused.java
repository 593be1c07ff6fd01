package dev.stowage.engine.prune;

import dev.stowage.engine.StowageException;

/**
 * {@code --max-unused}: how much unused data may stay in the repository after prune. A percentage
 * {@code p} allows {@code p/(100−p)} times the used bytes (so unused is {@code p%} of the total
 * afterwards), a size allows that many bytes, {@code unlimited} allows any amount.
 */
public sealed interface MaxUnused {
    /** restic's default. */
    MaxUnused DEFAULT = new Percent(5);

    /** Largest number of unused bytes to tolerate for a repository using {@code usedBytes}. */
    long limit(long usedBytes);

    record Percent(double percent) implements MaxUnused {
        @Override
        public long limit(long usedBytes) {
            return (long) (percent / (100 - percent) * usedBytes);
        }
    }

    record Bytes(long bytes) implements MaxUnused {
        @Override
        public long limit(long usedBytes) {
            return bytes;
        }
    }

    record Unlimited() implements MaxUnused {
        @Override
        public long limit(long usedBytes) {
            return Long.MAX_VALUE;
        }
    }

    static MaxUnused parse(String s) {
        String v = s.strip();
        if (v.equals("unlimited")) {
            return new Unlimited();
        }
        if (v.endsWith("%")) {
            double p;
            try {
                p = Double.parseDouble(v.substring(0, v.length() - 1));
            } catch (NumberFormatException e) {
                throw new StowageException("invalid --max-unused \"" + s + "\": invalid percentage");
            }
            if (!(p >= 0 && p <= 100)) {
                throw new StowageException("invalid --max-unused \"" + s + "\": percentage must be between 0% and 100%");
            }
            return p == 100 ? new Unlimited() : new Percent(p);
        }
        try {
            return new Bytes(Sizes.parse(v));
        } catch (StowageException e) {
            throw new StowageException("invalid --max-unused \"" + s + "\": expected a size (k/K, m/M, g/G, t/T),"
                    + " a percentage or 'unlimited'");
        }
    }
}
