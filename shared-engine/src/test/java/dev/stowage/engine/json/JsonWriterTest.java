package dev.stowage.engine.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.stowage.engine.json.GoQuoteTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** String escaping and structure exactly as Go 1.19's encoding/json writes them (restic-format.md §6.3). */
class JsonWriterTest {

    private static String str(byte[] value) {
        return new String(new JsonWriter().value(value).toByteArray(), StandardCharsets.UTF_8);
    }

    private static String str(String value) {
        return new String(new JsonWriter().value(value).toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void htmlCharactersAreEscaped() {
        assertEquals("\"\\u003c\\u003e\\u0026\"", str("<>&"));
        // restic: a file named a<b>&c\x7f is stored as "a\u003cb\u003e\u0026c\\x7f"
        assertEquals("\"a\\u003cb\\u003e\\u0026c\\\\x7f\"", str(GoQuote.quote(bytes("a<b>&c", 0x7f))));
    }

    @Test
    void controlCharactersUseLowercaseSixCharacterEscapesExceptNewlineReturnTab() {
        assertEquals("\"\\n\\r\\t\"", str("\n\r\t"));
        assertEquals("\"\\u0000\\u0001\\u0008\\u000b\\u000c\\u001f\"", str(bytes(0, 1, 8, 11, 12, 0x1f)));
        assertEquals("\"\\u001a\\u001b\"", str(bytes(0x1a, 0x1b)));
    }

    @Test
    void quoteAndBackslashAreEscapedAndSlashIsNot() {
        assertEquals("\"\\\"\\\\/\"", str("\"\\/"));
    }

    @Test
    void lineAndParagraphSeparatorsAreEscaped() {
        assertEquals("\"a\\u2028b\\u2029c\"", str("a\u2028b\u2029c"));
        // other non-ASCII, including U+0085, U+00A0 and U+FFFD, stays raw UTF-8
        assertArrayEquals(bytes("\"\u0085\u00a0\uFFFD\u202f\""), new JsonWriter().value("\u0085\u00a0\uFFFD\u202f").toByteArray());
    }

    @Test
    void invalidUtf8BecomesEscapedReplacementCharacterPerByte() {
        // restic 0.14: symlink target bad\xfftarget -> "linktarget":"bad\ufffdtarget"
        assertEquals("\"bad\\ufffdtarget\"", str(bytes("bad", 0xff, "target")));
        assertEquals("\"\\ufffd\\ufffd\\ufffd\"", str(bytes(0xed, 0xa0, 0x80))); // surrogate half
        assertEquals("\"\\ufffd\\ufffdx\"", str(bytes(0xe6, 0x97, "x"))); // truncated sequence
        assertEquals("\"\\ufffd\\ufffd\"", str(bytes(0xc0, 0xaf))); // overlong
        assertEquals("\"\\ufffd\"", str(bytes(0x80)));
    }

    @Test
    void deleteAndValidMultibyteCharactersAreRaw() {
        byte[] in = bytes("x", 0x7f, "é日本😀");
        byte[] expected = bytes("\"x", 0x7f, "é日本😀\"");
        assertArrayEquals(expected, new JsonWriter().value(in).toByteArray());
    }

    @Test
    void objectsArraysAndNumbersAreCompact() {
        byte[] json = new JsonWriter().beginObject()
                .name("a").value(1)
                .name("b").beginArray().value("x").nullValue().value(true).value(false).endArray()
                .name("c").beginObject().endObject()
                .name("d").beginArray().endArray()
                .name("e").unsignedValue(-1L)
                .name("f").value(-5)
                .name("g").base64Value(new byte[] {0, (byte) 0xff, 1})
                .name("h").beginArray().beginObject().name("i").value(2).endObject()
                .beginObject().name("j").value(3).endObject().endArray()
                .endObject().raw((byte) '\n').toByteArray();
        assertEquals("{\"a\":1,\"b\":[\"x\",null,true,false],\"c\":{},\"d\":[],\"e\":18446744073709551615,"
                + "\"f\":-5,\"g\":\"AP8B\",\"h\":[{\"i\":2},{\"j\":3}]}\n", new String(json, StandardCharsets.UTF_8));
    }

    @Test
    void keysAreEscapedLikeValues() {
        assertEquals("{\"\\u003ck\\u003e\":\"v\"}",
                new String(new JsonWriter().beginObject().name("<k>").value("v").endObject().toByteArray(),
                        StandardCharsets.UTF_8));
    }
}
