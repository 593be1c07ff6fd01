package dev.stowage.engine.crypto;

/** Reproduces Go's encoding/json string escaping so that re-serialised key files hash identically. */
final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    /** Appends s as a JSON string literal exactly as Go 1.19 json.Marshal writes it. */
    static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                // Go escapes HTML-sensitive characters and the JS line separators by default
                case '<', '>', '&', '\u2028', '\u2029' -> appendUnicodeEscape(sb, c);
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(sb, c);
                    } else if (Character.isSurrogate(c)) {
                        // a lone surrogate is invalid UTF-8 in Go, which writes U+FFFD for it
                        if (Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            sb.append('\ufffd');
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
