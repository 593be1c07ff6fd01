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

    /**
     * Checks the whole component, as Go's filepath.Match does before it reports a mismatch (and
     * as restic 0.14 validates patterns): a trailing backslash or a malformed class is an error.
     */
    private static void validate(String component, String pattern) {
        try {
            for (int i = 0; i < component.length(); ) {
                char c = component.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= component.length()) {
                        throw new IllegalArgumentException("trailing backslash");
                    }
                    i += 2;
                } else if (c == '[') {
                    i = parseClass(component, i, -1, new boolean[1]);
                } else {
                    i++;
                }
            }
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
                    if (si >= s.length()) {
                        return false;
                    }
                    int cp = s.codePointAt(si);
                    boolean[] hit = new boolean[1];
                    pi = parseClass(p, pi, cp, hit);
                    if (!hit[0]) {
                        return false;
                    }
                    si += Character.charCount(cp);
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

    /**
     * Parses the character class opening at {@code p[open] == '['} with Go's grammar: an optional
     * {@code ^}, then one or more {@code lo} or {@code lo-hi} ranges (a literal {@code -} or
     * {@code ]} must be escaped), then {@code ]}. Sets {@code hit[0]} to whether {@code cp} is in
     * the class (-1 never is) and returns the index after the {@code ]}.
     *
     * @throws IllegalArgumentException if the class is malformed
     */
    private static int parseClass(String p, int open, int cp, boolean[] hit) {
        int i = open + 1;
        boolean negate = i < p.length() && p.charAt(i) == '^';
        if (negate) {
            i++;
        }
        boolean match = false;
        int ranges = 0;
        while (true) {
            if (i < p.length() && p.charAt(i) == ']' && ranges > 0) {
                i++;
                break;
            }
            int lo = classChar(p, i);
            i += classCharLength(p, i);
            int hi = lo;
            if (p.charAt(i) == '-') {
                hi = classChar(p, i + 1);
                i += 1 + classCharLength(p, i + 1);
            }
            if (lo <= cp && cp <= hi) {
                match = true;
            }
            ranges++;
        }
        hit[0] = cp >= 0 && match != negate;
        return i;
    }

    /** The (possibly escaped) character at {@code i} of a class; it must not be the class's last. */
    private static int classChar(String p, int i) {
        if (i >= p.length() || p.charAt(i) == '-' || p.charAt(i) == ']') {
            throw new IllegalArgumentException("malformed character class");
        }
        int n = classCharLength(p, i);
        if (i + n >= p.length()) {
            throw new IllegalArgumentException("unterminated character class");
        }
        return p.codePointAt(p.charAt(i) == '\\' ? i + 1 : i);
    }

    private static int classCharLength(String p, int i) {
        if (p.charAt(i) == '\\') {
            if (i + 1 >= p.length()) {
                throw new IllegalArgumentException("unterminated character class");
            }
            return 1 + Character.charCount(p.codePointAt(i + 1));
        }
        return Character.charCount(p.codePointAt(i));
    }

    @Override
    public String toString() {
        return text;
    }
}
