package dev.stowage.engine.filter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.stowage.engine.filter.PatternTest.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Include/exclude filters applied the way a restore walks a snapshot (the same selected/descend
 * protocol the Restorer uses), checked against restic's semantics: a matched directory brings
 * everything below it, excludes win, includes only open the directories leading to a match.
 */
class PathFilterTest {
    /** A snapshot tree: directory paths end with '/'. */
    private static final List<String> TREE = List.of(
            "/home/", "/home/u/", "/home/u/.cache/", "/home/u/.cache/x", "/home/u/.cache/sub/", "/home/u/.cache/sub/y",
            "/home/u/docs/", "/home/u/docs/z.c", "/home/v/", "/home/v/.cache", "/etc/", "/etc/passwd",
            "/x/", "/x/home/", "/x/home/u/", "/x/home/u/.cache/", "/x/home/u/.cache/q",
            "/var/", "/var/log/", "/var/log/a.log", "/var/log/b.txt", "/var/cache/", "/var/cache/c", "/var/cache2/",
            "/var/cache2/d", "/srv/", "/srv/cache/", "/srv/cache/e", "/srv/main.c", "/srv/foo.c/", "/srv/foo.c/inner");

    /** What a restore with this filter visits (descends into) and selects (writes). */
    private record Walk(List<String> descended, List<String> selected) {
    }

    private static Walk walk(PathFilter f) {
        Map<String, List<String>> children = new TreeMap<>();
        for (String p : TREE) {
            String trimmed = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            String parent = trimmed.substring(0, trimmed.lastIndexOf('/') + 1);
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(p);
        }
        Walk w = new Walk(new ArrayList<>(), new ArrayList<>());
        // the root itself is not selected by any include: only includes.isEmpty() selects everything
        walk(f, "/", false, children, w);
        return w;
    }

    private static void walk(PathFilter f, String dir, boolean dirSelected, Map<String, List<String>> children, Walk w) {
        for (String child : children.getOrDefault(dir, List.of())) {
            List<String> components = path(child);
            boolean selected = f.selected(components, dirSelected);
            if (selected) {
                w.selected.add(child);
            }
            if (child.endsWith("/") && f.descend(components, selected)) {
                w.descended.add(child);
                walk(f, child, selected, children, w);
            }
        }
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(null);
        return s;
    }

    @Test
    void noFilterSelectsEverything() {
        assertTrue(PathFilter.ALL.isEmpty());
        assertTrue(PathFilter.of(List.of(), List.of()).isEmpty());
        assertFalse(PathFilter.of(List.of("x"), List.of()).isEmpty());
        assertFalse(PathFilter.of(List.of(), List.of("x")).isEmpty());
        Walk w = walk(PathFilter.ALL);
        assertEquals(sorted(TREE), sorted(w.selected()));
    }

    @Test
    void anchoredIncludeSelectsTheMatchAndEverythingBelowIt() {
        Walk w = walk(PathFilter.of(List.of("/home/*/.cache"), List.of()));
        assertEquals(List.of("/home/u/.cache/", "/home/u/.cache/sub/", "/home/u/.cache/sub/y", "/home/u/.cache/x",
                "/home/v/.cache"), sorted(w.selected()));
        // only the directories that lead to a match are walked
        assertFalse(w.descended().contains("/etc/"));
        assertFalse(w.descended().contains("/x/"));
        assertFalse(w.descended().contains("/home/u/docs/"));
        assertTrue(w.descended().containsAll(List.of("/home/", "/home/u/", "/home/v/", "/home/u/.cache/sub/")));
    }

    @Test
    void relativeIncludeMatchesAtAnyDepthIncludingDirectories() {
        Walk w = walk(PathFilter.of(List.of("*.c"), List.of()));
        // restic: a file inside a directory named foo.c is selected as well
        assertEquals(List.of("/home/u/docs/z.c", "/srv/foo.c/", "/srv/foo.c/inner", "/srv/main.c"), sorted(w.selected()));
    }

    @Test
    void excludesRemoveMatchesAndEverythingBelowThem() {
        Walk w = walk(PathFilter.of(List.of(), List.of("*.log", "/var/cache")));
        assertFalse(w.selected().contains("/var/log/a.log"));
        assertTrue(w.selected().contains("/var/log/b.txt"));
        assertFalse(w.selected().contains("/var/cache/"));
        assertFalse(w.selected().contains("/var/cache/c"));
        assertFalse(w.descended().contains("/var/cache/"));
        assertTrue(w.selected().containsAll(List.of("/var/cache2/", "/var/cache2/d", "/srv/cache/e")), "anchored: only /var/cache");
    }

    @Test
    void excludeWinsOverInclude() {
        Walk w = walk(PathFilter.of(List.of("/home"), List.of(".cache")));
        assertTrue(w.selected().containsAll(List.of("/home/", "/home/u/", "/home/u/docs/z.c")));
        assertTrue(w.selected().stream().noneMatch(p -> p.contains(".cache")), w.selected().toString());
        assertTrue(w.selected().stream().allMatch(p -> p.startsWith("/home/")), w.selected().toString());
    }

    @Test
    void doubleStarInclude() {
        Walk w = walk(PathFilter.of(List.of("/x/**/q"), List.of()));
        assertEquals(List.of("/x/home/u/.cache/q"), w.selected());
        assertFalse(w.descended().contains("/home/"));
    }
}
