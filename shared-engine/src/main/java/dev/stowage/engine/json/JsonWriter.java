package dev.stowage.engine.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes JSON byte for byte the way Go's {@code encoding/json} does, so that documents we write
 * (trees in particular) hash to the same IDs as restic's. Jackson's escaping differs (upper-case
 * hex, no HTML escaping), hence this small writer. Callers are responsible for well-formed nesting.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;
    // Bit i set: a value has already been written at nesting depth i, so the next needs a comma.
    private long needComma;
    private int depth;

    public JsonWriter() {
        this(256);
    }

    public JsonWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public JsonWriter beginObject() {
        valuePrefix();
        put((byte) '{');
        depth++;
        needComma &= ~(1L << depth);
        return this;
    }

    public JsonWriter endObject() {
        depth--;
        put((byte) '}');
        return this;
    }

    public JsonWriter beginArray() {
        valuePrefix();
        put((byte) '[');
        depth++;
        needComma &= ~(1L << depth);
        return this;
    }

    public JsonWriter endArray() {
        depth--;
        put((byte) ']');
        return this;
    }

    /** Writes an object key; the next call writes its value. */
    public JsonWriter name(String key) {
        valuePrefix();
        writeQuoted(key.getBytes(StandardCharsets.UTF_8));
        put((byte) ':');
        // the value that follows must not get a comma
        needComma &= ~(1L << depth);
        return this;
    }

    public JsonWriter value(String s) {
        valuePrefix();
        writeQuoted(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Writes a Go string given as raw bytes (invalid UTF-8 becomes the escaped replacement character, as in Go). */
    public JsonWriter value(byte[] utf8) {
        valuePrefix();
        writeQuoted(utf8);
        return this;
    }

    public JsonWriter value(long n) {
        valuePrefix();
        putAscii(Long.toString(n));
        return this;
    }

    /** Writes a Go {@code uint64}. */
    public JsonWriter unsignedValue(long n) {
        valuePrefix();
        putAscii(Long.toUnsignedString(n));
        return this;
    }

    /** Writes a Go {@code float64}. */
    public JsonWriter value(double d) {
        valuePrefix();
        putAscii(Double.isFinite(d) ? Double.toString(d) : "0");
        return this;
    }

    public JsonWriter value(boolean b) {
        valuePrefix();
        putAscii(b ? "true" : "false");
        return this;
    }

    public JsonWriter nullValue() {
        valuePrefix();
        putAscii("null");
        return this;
    }

    /** Writes a Go {@code []byte}: standard base64 with padding. */
    public JsonWriter base64Value(byte[] bytes) {
        valuePrefix();
        put((byte) '"');
        putAscii(Base64.getEncoder().encodeToString(bytes));
        put((byte) '"');
        return this;
    }

    /** Appends a raw byte (e.g. the newline restic puts after trees and indexes). */
    public JsonWriter raw(byte b) {
        put(b);
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public int size() {
        return len;
    }

    private void valuePrefix() {
        long bit = 1L << depth;
        if ((needComma & bit) != 0) {
            put((byte) ',');
        }
        needComma |= bit;
    }

    private void writeQuoted(byte[] s) {
        ensure(s.length + 2);
        put((byte) '"');
        int i = 0;
        while (i < s.length) {
            int b = s[i] & 0xff;
            if (b < 0x80) {
                if (b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&') {
                    put((byte) b);
                } else if (b == '"' || b == '\\') {
                    put((byte) '\\');
                    put((byte) b);
                } else if (b == '\n') {
                    putAscii("\\n");
                } else if (b == '\r') {
                    putAscii("\\r");
                } else if (b == '\t') {
                    putAscii("\\t");
                } else {
                    // Go before 1.22 (restic 0.14 was built with go1.19) writes a six-character escape for the rest
                    putAscii("\\u00");
                    put(HEX[b >> 4]);
                    put(HEX[b & 0xf]);
                }
                i++;
                continue;
            }
            int n = Utf8.validSequenceLength(s, i);
            if (n == 0) {
                putAscii("\\ufffd");
                i++;
                continue;
            }
            int cp = Utf8.decode(s, i, n);
            if (cp == 0x2028 || cp == 0x2029) {
                putAscii(cp == 0x2028 ? "\\u2028" : "\\u2029");
            } else {
                ensure(n);
                System.arraycopy(s, i, buf, len, n);
                len += n;
            }
            i += n;
        }
        put((byte) '"');
    }

    private void putAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        if (len == buf.length) {
            ensure(1);
        }
        buf[len++] = b;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
