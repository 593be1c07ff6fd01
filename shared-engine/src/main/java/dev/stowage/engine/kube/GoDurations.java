package dev.stowage.engine.kube;

import dev.stowage.engine.StowageException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go duration strings ({@code 1h30m}, {@code 90s}, {@code 2.5h}) as Kubernetes APIs write them. */
final class GoDurations {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

    private GoDurations() {
    }

    static Duration parse(String text) {
        Matcher m = PART.matcher(text);
        int end = 0;
        double nanos = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            throw new StowageException("\"" + text + "\" is not a duration like 30m or 1h30m");
        }
        return Duration.ofNanos((long) nanos);
    }
}
