package dev.stowage.engine.json;

import dev.stowage.engine.StowageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Go's strconv.Quote/Unquote as restic applies them to node names (restic-format.md §6.3). The
 * expected strings are what Go 1.19 (restic 0.14) produces; the ones marked "restic" were read
 * back from trees restic 0.14.0 wrote on this machine.
 */
class GoQuoteTest {

    /** Bytes from a mix of strings (UTF-8) and ints (single raw bytes). */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    private static void assertQuotes(String expected, byte[] name) {
        assertEquals(expected, GoQuote.quote(name));
        assertArrayEquals(name, GoQuote.unquote(expected), "unquote must give the original bytes back");
    }

    @Test
    void quoteAndBackslashAreEscaped() {
        // restic: src/we"ird\name -> "name":"we\\\"ird\\\\name" (JSON of we\"ird\\name)
        assertQuotes("we\\\"ird\\\\name", bytes("we\"ird\\name"));
    }

    @Test
    void invalidUtf8BytesBecomeLowercaseHexEscapes() {
        assertQuotes("bad\\xffname", bytes("bad", 0xff, "name"));
        // a surrogate half, an overlong encoding and a truncated sequence are invalid byte by byte
        assertQuotes("lone\\xed\\xa0\\x80sur", bytes("lone", 0xed, 0xa0, 0x80, "sur"));
        assertQuotes("over\\xc0\\xaflong", bytes("over", 0xc0, 0xaf, "long"));
        assertQuotes("trunc\\xe6\\x97", bytes("trunc", 0xe6, 0x97));
        assertQuotes("\\xf4\\x90\\x80\\x80", bytes(0xf4, 0x90, 0x80, 0x80)); // above U+10FFFF
        assertQuotes("\\x80", bytes(0x80));
    }

    @Test
    void controlCharactersUseShortFormsWhereGoHasThem() {
        assertQuotes("ctl\\x01\\b\\f", bytes("ctl", 0x01, 0x08, 0x0c));
        assertQuotes("\\a\\b\\f\\n\\r\\t\\v", bytes(7, 8, 12, 10, 13, 9, 11));
        assertQuotes("\\x00\\x1f", bytes(0, 0x1f));
        assertQuotes("del\\x7f", bytes("del", 0x7f));
    }

    @Test
    void printableUnicodeStaysRaw() {
        assertQuotes("é日本", bytes("é日本"));
        assertQuotes("sp ace~!#$%&'()*+,-./:;<=>?@[]^_`{|}", bytes("sp ace~!#$%&'()*+,-./:;<=>?@[]^_`{|}"));
        assertQuotes("\uFFFD", bytes("\uFFFD")); // a valid U+FFFD is a printable symbol
        assertQuotes("😀smile", bytes("😀smile")); // supplementary, So
        assertQuotes("\uD840\uDC00", bytes("\uD840\uDC00")); // U+20000, CJK extension B
    }

    @Test
    void nonPrintableRunesUseUnicodeEscapes() {
        assertQuotes("\\u00a0", bytes("\u00a0")); // no-break space: Zs, not ASCII space
        assertQuotes("soft\\u00adhy", bytes("soft\u00adhy")); // Cf
        assertQuotes("ls\\u2028x", bytes("ls\u2028x")); // Zl
        assertQuotes("\\u2029", bytes("\u2029")); // Zp
        assertQuotes("\\u200b", bytes("\u200b")); // zero width space, Cf
        assertQuotes("\\u0085", bytes("\u0085")); // C1 control
        assertQuotes("\\u3000", bytes("\u3000")); // ideographic space
        assertQuotes("\\ue000", bytes("\ue000")); // private use
        assertQuotes("\\u0378", bytes("\u0378")); // unassigned
        // supplementary code points take the 8-digit form
        assertQuotes("tag\\U000e0001x", bytes("tag", 0xf3, 0xa0, 0x80, 0x81, "x")); // U+E0001, Cf
        assertQuotes("pua\\U000f0000", bytes("pua", 0xf3, 0xb0, 0x80, 0x80)); // U+F0000, Co
        assertQuotes("\\U0001d173", bytes(new String(Character.toChars(0x1d173)))); // Cf
    }

    @Test
    void unquoteAcceptsEveryGoEscape() {
        assertArrayEquals(bytes("A", 0xff, 0), GoQuote.unquote("\\101\\377\\000"));
        assertArrayEquals(bytes("A", 0xff, 0xFF), GoQuote.unquote("\\x41\\xff\\xFF"));
        assertArrayEquals(bytes("é😀"), GoQuote.unquote("\\u00e9\\U0001F600"));
        assertArrayEquals(bytes("\u00e9"), GoQuote.unquote("\\u00E9"));
        // an x escape yields a byte, a u escape the UTF-8 encoding of a rune
        assertArrayEquals(bytes(0xe9), GoQuote.unquote("\\xe9"));
        assertArrayEquals(bytes(0xc3, 0xa9), GoQuote.unquote("\\u00e9"));
        assertArrayEquals(bytes("\"\\"), GoQuote.unquote("\\\"\\\\"));
        assertArrayEquals(bytes(7, 8, 12, 10, 13, 9, 11), GoQuote.unquote("\\a\\b\\f\\n\\r\\t\\v"));
        // raw control characters other than newline are accepted, as by strconv.Unquote
        assertArrayEquals(bytes("a", 1, "b", 0x7f), GoQuote.unquote("a\u0001b\u007f"));
        assertArrayEquals(bytes(""), GoQuote.unquote(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "trailing\\", "\\q", "\\'", "\\x4", "\\xg0", "\\1", "\\12", "\\128", "\\400", "\\u12", "\\u12g4",
        "\\ud800", "\\udfff", "\\U00110000", "\\Uffffffff", "a\"b", "a\nb", "\\U0001F60",
    })
    void unquoteRejectsInvalidInput(String quoted) {
        StowageException e = assertThrows(StowageException.class, () -> GoQuote.unquote(quoted));
        assertTrue(e.getMessage().contains("invalid quoted name"), e.getMessage());
    }

    @Test
    void randomNamesRoundTrip() {
        Random rnd = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] name = new byte[rnd.nextInt(12)];
            if (i % 2 == 0) {
                rnd.nextBytes(name);
            } else {
                // mostly valid UTF-8 from assorted planes
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < name.length; k++) {
                    int cp = switch (rnd.nextInt(4)) {
                        case 0 -> rnd.nextInt(0x80);
                        case 1 -> 0x80 + rnd.nextInt(0x780);
                        case 2 -> 0x800 + rnd.nextInt(0xd000);
                        default -> 0x10000 + rnd.nextInt(0x100000);
                    };
                    if (cp < 0xd800 || cp > 0xdfff) {
                        sb.appendCodePoint(cp);
                    }
                }
                name = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            String q = GoQuote.quote(name);
            assertArrayEquals(name, GoQuote.unquote(q), q);
            // the quoted form never holds a raw quote, newline or control character
            assertTrue(q.chars().noneMatch(c -> c == '\n' || c < 0x20 || c == 0x7f), q);
        }
    }
}
