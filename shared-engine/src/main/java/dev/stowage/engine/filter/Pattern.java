package dev.stowage.engine.filter;

import dev.stowage.engine.StowageException;
import java.util.ArrayList;
import java.util.List;

/**
 * A restic path pattern: components separated by {@code /}, each a Go {@code filepath.Match}
 * glob ({@code *}, {@code ?}, {@code [...]}, {@code \} escapes), {@code **} for any number of
 * components. A pattern starting with {@code /} is anchored at the root; any other pattern may
 * match at any depth. Immutable.
 */
public final class Pattern {
    private final String text;
    private final List<String> parts;

    private Pattern(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
    }

    public static Pattern compile(String pattern) {
        String p = pattern.trim();
        if (p.isEmpty()) {
            throw new StowageException("empty pattern");
        }
        List<String> parts = new ArrayList<>();
        if (!p.startsWith("/")) {
            parts.add("**");
        }
        for (String c : p.split("/")) {
            if (!c.isEmpty()) {
                validate(c, pattern);
                parts.add(c);
            }
        }
        return new Pattern(pattern, List.copyOf(parts));
    }

    private static void validate(String component, String pattern) {
        try {
            globMatch(component, 0, "", 0);
        } catch (IllegalArgumentException e) {
            throw new StowageException("invalid pattern \"" + pattern + "\": " + e.getMessage());
        }
    }

    /** Whether the pattern matches this absolute path, given as its components. */
    public boolean matches(List<String> path) {
        return match(0, path, 0, false);
    }

    /**
     * Whether the pattern could match this directory or something below it, so that a selective
     * restore must descend into it.
     */
    public boolean mayMatchBelow(List<String> path) {
        return match(0, path, 0, true);
    }

    private boolean match(int pi, List<String> path, int si, boolean prefixOk) {
        if (pi == parts.size()) {
            return si == path.size();
        }
        if (si == path.size()) {
            // the path ended: a prefix of the pattern matched, so a child may match the rest
            return prefixOk || (pi == parts.size() - 1 && parts.get(pi).equals("**"));
        }
        String part = parts.get(pi);
        if (part.equals("**")) {
            for (int k = si; k <= path.size(); k++) {
                if (match(pi + 1, path, k, prefixOk)) {
                    return true;
                }
            }
            return false;
        }
        return globMatch(part, 0, path.get(si), 0) && match(pi + 1, path, si + 1, prefixOk);
    }

    /** Go's filepath.Match on one component. */
    static boolean globMatch(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            switch (c) {
                case '*' -> {
                    while (pi < p.length() && p.charAt(pi) == '*') {
                        pi++;
                    }
                    if (pi == p.length()) {
                        return true;
                    }
                    for (int k = si; k <= s.length(); k++) {
                        if (globMatch(p, pi, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= s.length()) {
                        return false;
                    }
                    si += Character.charCount(s.codePointAt(si));
                    pi++;
                }
                case '[' -> {
                    int end = classEnd(p, pi);
                    if (si >= s.length()) {
                        return false;
                    }
                    int cp = s.codePointAt(si);
                    if (!classMatches(p, pi + 1, end, cp)) {
                        return false;
                    }
                    si += Character.charCount(cp);
                    pi = end + 1;
                }
                case '\\' -> {
                    if (pi + 1 >= p.length()) {
                        throw new IllegalArgumentException("trailing backslash");
                    }
                    if (si >= s.length() || s.charAt(si) != p.charAt(pi + 1)) {
                        return false;
                    }
                    si++;
                    pi += 2;
                }
                default -> {
                    if (si >= s.length() || s.charAt(si) != c) {
                        return false;
                    }
                    si++;
                    pi++;
                }
            }
        }
        return si == s.length();
    }

    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        boolean first = true;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == ']' && !first) {
                return i;
            }
            if (c == '\\') {
                i++;
            }
            i++;
            first = false;
        }
        throw new IllegalArgumentException("unterminated character class");
    }

    private static boolean classMatches(String p, int from, int end, int cp) {
        boolean negate = from < end && p.charAt(from) == '^';
        if (negate) {
            from++;
        }
        boolean hit = false;
        int i = from;
        while (i < end) {
            int lo = p.charAt(i) == '\\' ? p.charAt(++i) : p.charAt(i);
            i++;
            int hi = lo;
            if (i + 1 < end && p.charAt(i) == '-') {
                hi = p.charAt(i + 1) == '\\' ? p.charAt(i + 2) : p.charAt(i + 1);
                i += p.charAt(i + 1) == '\\' ? 3 : 2;
            }
            if (cp >= lo && cp <= hi) {
                hit = true;
            }
        }
        return hit != negate;
    }

    @Override
    public String toString() {
        return text;
    }
}
