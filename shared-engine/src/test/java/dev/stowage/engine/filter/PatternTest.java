package dev.stowage.engine.filter;

import dev.stowage.engine.StowageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** restic's path patterns: Go filepath.Match per component, ** across components, anchoring. */
class PatternTest {

    /** "/a/b/c" as components. */
    static List<String> path(String p) {
        return Arrays.stream(p.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private static void matches(String pattern, String... paths) {
        Pattern p = Pattern.compile(pattern);
        for (String s : paths) {
            assertTrue(p.matches(path(s)), pattern + " should match " + s);
        }
    }

    private static void doesNotMatch(String pattern, String... paths) {
        Pattern p = Pattern.compile(pattern);
        for (String s : paths) {
            assertFalse(p.matches(path(s)), pattern + " should not match " + s);
        }
    }

    @Test
    void relativePatternsMatchAtAnyDepth() {
        matches("*.c", "/foo.c", "/a/foo.c", "/a/b/c/.c", "/a/b/x y.c");
        doesNotMatch("*.c", "/foo.cc", "/foo.c.txt", "/a/foo.h", "/c");
        matches("foo/bar", "/foo/bar", "/x/y/foo/bar");
        doesNotMatch("foo/bar", "/foo/x/bar", "/foo", "/bar", "/xfoo/bar");
        matches("node_modules", "/node_modules", "/src/app/node_modules");
    }

    @Test
    void absolutePatternsAreAnchoredAtTheRoot() {
        matches("/home/*/.cache", "/home/u/.cache", "/home/other user/.cache");
        doesNotMatch("/home/*/.cache", "/x/home/u/.cache", "/home/.cache", "/home/u/v/.cache", "/home/u/.cache2", "/home/u");
        matches("/etc/passwd", "/etc/passwd");
        doesNotMatch("/etc/passwd", "/x/etc/passwd", "/etc");
        // repeated and trailing slashes are ignored
        matches("//home//*//.cache/", "/home/u/.cache");
    }

    @Test
    void doubleStarSpansAnyNumberOfComponents() {
        matches("/a/**/z", "/a/z", "/a/b/z", "/a/b/c/d/z");
        doesNotMatch("/a/**/z", "/b/z", "/a/z/y", "/x/a/b/z");
        matches("foo/**/bar", "/foo/bar", "/foo/1/2/bar", "/x/foo/1/bar");
        matches("/a/**", "/a", "/a/b", "/a/b/c");
        doesNotMatch("/a/**", "/b", "/ab");
        matches("**", "/x", "/x/y/z");
        matches("/**/*.log", "/x.log", "/var/log/x.log");
    }

    @Test
    void questionMarkIsExactlyOneCharacterEvenOutsideAscii() {
        matches("?.txt", "/a.txt", "/é.txt", "/😀.txt", "/日.txt");
        doesNotMatch("?.txt", "/ab.txt", "/.txt");
        matches("/d??", "/dir", "/dé😀");
    }

    @Test
    void characterClasses() {
        matches("[abc].go", "/a.go", "/c.go");
        doesNotMatch("[abc].go", "/d.go", "/ab.go");
        matches("x[a-c0-9]", "/xb", "/x7");
        doesNotMatch("x[a-c0-9]", "/xd", "/x-");
        // Go negates with ^
        matches("x[^a-c]", "/xd", "/x😀");
        doesNotMatch("x[^a-c]", "/xa", "/x");
        matches("[é-ë]", "/ê");
        // escapes inside classes
        matches("[\\]]", "/]");
        matches("[\\-a]", "/-", "/a");
        doesNotMatch("[\\-a]", "/b");
        // a reversed range is valid and matches nothing
        doesNotMatch("[z-a]", "/a", "/m", "/z");
    }

    @Test
    void escapesMakeMetacharactersLiteral() {
        matches("\\*.txt", "/*.txt");
        doesNotMatch("\\*.txt", "/a.txt");
        matches("a\\?b", "/a?b");
        doesNotMatch("a\\?b", "/axb");
        matches("\\[x]", "/[x]");
        doesNotMatch("\\[x]", "/x");
        matches("back\\\\slash", "/back\\slash");
    }

    @Test
    void starDoesNotCrossComponents() {
        matches("/a/*", "/a/b");
        doesNotMatch("/a/*", "/a/b/c", "/a");
        matches("/a*b", "/ab", "/axxb");
    }

    @Test
    void mayMatchBelowForIncludes() {
        Pattern rel = Pattern.compile("*.c");
        for (String dir : List.of("/", "/a", "/a/b/c")) {
            assertTrue(rel.mayMatchBelow(path(dir)), "a relative pattern can match below " + dir);
        }
        Pattern abs = Pattern.compile("/home/*/.cache");
        assertTrue(abs.mayMatchBelow(path("/")));
        assertTrue(abs.mayMatchBelow(path("/home")));
        assertTrue(abs.mayMatchBelow(path("/home/u")));
        assertTrue(abs.mayMatchBelow(path("/home/u/.cache")));
        assertFalse(abs.mayMatchBelow(path("/etc")));
        assertFalse(abs.mayMatchBelow(path("/home/u/docs")));
        assertFalse(abs.mayMatchBelow(path("/x/home")));
        Pattern deep = Pattern.compile("/a/**/z");
        assertTrue(deep.mayMatchBelow(path("/a/b/c")));
        assertFalse(deep.mayMatchBelow(path("/b")));
    }

    @Test
    void surroundingWhitespaceIsIgnoredAndTextIsKept() {
        Pattern p = Pattern.compile("  *.c \t");
        assertTrue(p.matches(path("/x.c")));
        assertEquals("  *.c \t", p.toString());
    }

    /** Patterns restic 0.14 refuses with "invalid pattern(s) provided" (checked with the real binary). */
    @ParameterizedTest
    @ValueSource(strings = {"[]a]", "[a-]", "[-a]", "[^]", "[a", "x\\", "[", "a[", "a[b", "/ok/x\\", "/ok/[]x]/y", "[\\", "[a-\\"})
    void invalidPatternsAreRejectedAtCompileTime(String pattern) {
        StowageException e = assertThrows(StowageException.class, () -> Pattern.compile(pattern));
        assertTrue(e.getMessage().contains("invalid pattern") && e.getMessage().contains(pattern), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyPatternsAreRejected(String pattern) {
        assertThrows(StowageException.class, () -> Pattern.compile(pattern));
    }
}
