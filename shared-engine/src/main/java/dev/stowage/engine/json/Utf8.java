package dev.stowage.engine.json;

/** UTF-8 decoding with Go's rules: surrogates, overlongs and values above U+10FFFF are invalid. */
final class Utf8 {
    private Utf8() {
    }

    /** Length of the valid multi-byte sequence starting at {@code i}, or 0 if it is not valid. */
    static int validSequenceLength(byte[] s, int i) {
        int b0 = s[i] & 0xff;
        int n;
        int min;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            n = 2;
            min = 0x80;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            n = 3;
            min = 0x800;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > s.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
        }
        int cp = decode(s, i, n);
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        return n;
    }

    static int decode(byte[] s, int i, int n) {
        int b0 = s[i] & 0xff;
        int cp = n == 2 ? b0 & 0x1f : n == 3 ? b0 & 0x0f : b0 & 0x07;
        for (int k = 1; k < n; k++) {
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        return cp;
    }

    static boolean isValid(byte[] s) {
        int i = 0;
        while (i < s.length) {
            if (s[i] >= 0) {
                i++;
                continue;
            }
            int n = validSequenceLength(s, i);
            if (n == 0) {
                return false;
            }
            i += n;
        }
        return true;
    }
}
