package org.fairrescore.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An approximation of OpenSearch's {@code standard} analyzer, good enough for the catalog's plain English: words are
 * runs of letters and digits, an apostrophe between letters stays inside the word ("men's"), a dot between digits
 * stays inside the number ("15.6"), everything is lower-cased, nothing is stemmed and no stop word is removed.
 */
final class Tokens {
    private Tokens() {
    }

    static List<String> of(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean joiner = (c == '\'' || c == '\u2019' || c == '.') && current.length() > 0 && i + 1 < n
                && Character.isLetterOrDigit(text.charAt(i + 1))
                && (c != '.' || (Character.isDigit(text.charAt(i - 1)) && Character.isDigit(text.charAt(i + 1))))
                && (c == '.' || (Character.isLetter(text.charAt(i - 1)) && Character.isLetter(text.charAt(i + 1))));
            if (Character.isLetterOrDigit(c) || joiner) {
                current.append(c);
            } else if (current.length() > 0) {
                tokens.add(current.toString().toLowerCase(Locale.ROOT));
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString().toLowerCase(Locale.ROOT));
        }
        return tokens;
    }

    static Set<String> setOf(String text) {
        return new LinkedHashSet<>(of(text));
    }
}
