package dev.stowage.engine.json;

import dev.stowage.engine.StowageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code strconv.Quote}/{@code Unquote} over raw bytes. restic stores node names quoted this
 * way (without the surrounding quotes) so that names which are not valid UTF-8 survive JSON.
 */
public final class GoQuote {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private GoQuote() {
    }

    /** {@code strconv.Quote(name)} without the surrounding double quotes. */
    public static String quote(byte[] name) {
        StringBuilder out = new StringBuilder(name.length + 8);
        int i = 0;
        while (i < name.length) {
            int b = name[i] & 0xff;
            if (b < 0x80) {
                appendRune(out, b);
                i++;
                continue;
            }
            int n = Utf8.validSequenceLength(name, i);
            if (n == 0) {
                out.append("\\x").append((char) HEX[b >> 4]).append((char) HEX[b & 0xf]);
                i++;
                continue;
            }
            appendRune(out, Utf8.decode(name, i, n));
            i += n;
        }
        return out.toString();
    }

    private static void appendRune(StringBuilder out, int r) {
        if (r == '"' || r == '\\') {
            out.append('\\').append((char) r);
        } else if (isPrint(r)) {
            out.appendCodePoint(r);
        } else {
            switch (r) {
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (r < ' ' || r == 0x7f) {
                        out.append("\\x").append((char) HEX[r >> 4]).append((char) HEX[r & 0xf]);
                    } else if (r < 0x10000) {
                        out.append("\\u").append(hex(r, 4));
                    } else {
                        out.append("\\U").append(hex(r, 8));
                    }
                }
            }
        }
    }

    private static String hex(int v, int digits) {
        String h = Integer.toHexString(v);
        return "0".repeat(digits - h.length()) + h;
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    static boolean isPrint(int r) {
        if (r < 0x80) {
            return r >= 0x20 && r < 0x7f;
        }
        return switch (Character.getType(r)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * {@code strconv.Unquote("\"" + quoted + "\"")}: the raw name bytes.
     *
     * @throws StowageException if {@code quoted} is not a valid Go double-quoted string body
     */
    public static byte[] unquote(String quoted) {
        if (quoted.indexOf('\\') < 0 && quoted.indexOf('"') < 0 && quoted.indexOf('\n') < 0) {
            return quoted.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(quoted.length());
        int i = 0;
        int n = quoted.length();
        while (i < n) {
            char c = quoted.charAt(i);
            if (c == '"' || c == '\n') {
                throw invalid(quoted);
            }
            if (c != '\\') {
                int cp = quoted.codePointAt(i);
                byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.writeBytes(enc);
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= n) {
                throw invalid(quoted);
            }
            char e = quoted.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.write(0x07);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0b);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x' -> {
                    out.write(parseHex(quoted, i, 2));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int digits = e == 'u' ? 4 : 8;
                    int cp = parseHex(quoted, i, digits);
                    i += digits;
                    if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                        throw invalid(quoted);
                    }
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > n) {
                        throw invalid(quoted);
                    }
                    int v = 0;
                    for (int k = i - 1; k < i + 2; k++) {
                        char d = quoted.charAt(k);
                        if (d < '0' || d > '7') {
                            throw invalid(quoted);
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        throw invalid(quoted);
                    }
                    out.write(v);
                    i += 2;
                }
                default -> throw invalid(quoted);
            }
        }
        return out.toByteArray();
    }

    private static int parseHex(String s, int from, int digits) {
        if (from + digits > s.length()) {
            throw invalid(s);
        }
        int v = 0;
        for (int k = from; k < from + digits; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                throw invalid(s);
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static StowageException invalid(String quoted) {
        return new StowageException("invalid quoted name in tree: \"" + quoted + "\"");
    }
}
