package dev.stowage.engine.prune;

import dev.stowage.engine.StowageException;
import java.util.Locale;

/** restic's size flags: a number of bytes with an optional k/K, m/M, g/G or t/T suffix (powers of 1024). */
public final class Sizes {
    private Sizes() {
    }

    public static long parse(String s) {
        String v = s.strip();
        if (v.isEmpty()) {
            throw new StowageException("invalid size \"" + s + "\"");
        }
        long unit = switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new StowageException("invalid size \"" + s + "\": expected a number of bytes with an optional "
                    + "k/K, m/M, g/G or t/T suffix".toLowerCase(Locale.ROOT));
        }
    }
}
