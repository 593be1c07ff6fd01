package dev.stowage.engine.postgres;

import dev.stowage.engine.StowageException;
import java.util.ArrayList;
import java.util.List;

/** Splits an argument string into words with POSIX-shell quoting (no expansion of any kind). */
public final class ShellArgs {
    private ShellArgs() {
    }

    /** The words of {@code s}; quotes group, backslash escapes. */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new StowageException("unterminated ' in arguments: " + s);
                }
                word.append(s, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != '"'; j++) {
                    if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                        j++;
                    }
                    word.append(s.charAt(j));
                }
                if (j >= s.length()) {
                    throw new StowageException("unterminated \" in arguments: " + s);
                }
                i = j;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                word.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
