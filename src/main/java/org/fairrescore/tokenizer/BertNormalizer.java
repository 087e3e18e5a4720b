package org.fairrescore.tokenizer;

import java.nio.CharBuffer;
import java.text.Normalizer;

/**
 * The {@code BertNormalizer} of Hugging Face {@code tokenizers}, in its order: clean text (drop NUL, U+FFFD and
 * control/format/private-use characters, map whitespace to a space), put spaces around CJK ideographs, strip accents
 * (NFD, then drop non-spacing marks) and lowercase (per code point, as Rust's {@code char::to_lowercase}: no
 * context-dependent final sigma).
 */
final class BertNormalizer {

    private final boolean cleanText;
    private final boolean handleChineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;

    BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {
        this.cleanText = cleanText;
        this.handleChineseChars = handleChineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
    }

    boolean lowercase() {
        return lowercase;
    }

    boolean stripAccents() {
        return stripAccents;
    }

    /** Normalized text as a string (for tests and diagnostics; the tokenizer uses {@link #normalize(CharSequence, int, int)}). */
    String normalize(CharSequence text) {
        Buffer b = normalize(text, 0, text.length());
        return new String(b.chars, 0, b.length);
    }

    /** A char array and the length of its used prefix. */
    static final class Buffer {
        final char[] chars;
        final int length;

        Buffer(char[] chars, int length) {
            this.chars = chars;
            this.length = length;
        }
    }

    /** Normalizes {@code text[from, to)}. */
    Buffer normalize(CharSequence text, int from, int to) {
        // A CJK ideograph (1 or 2 chars) becomes at most 4 chars with its spaces; everything else shrinks or stays.
        char[] buf = new char[2 * (to - from) + 2];
        int len = 0;
        boolean nonAscii = false;
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            int cp;
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(i + 1));
                i += 2;
            } else {
                cp = c;
                i++;
            }
            if (cp < 0x80) {
                if (cleanText) {
                    if (cp == 0 || BertChars.isControl(cp)) {
                        continue;
                    }
                    if (BertChars.isWhitespace(cp)) {
                        buf[len++] = ' ';
                        continue;
                    }
                }
                if (lowercase && cp >= 'A' && cp <= 'Z') {
                    cp += 'a' - 'A';
                }
                buf[len++] = (char) cp;
                continue;
            }
            if (cleanText) {
                if (cp == 0xFFFD || BertChars.isControl(cp)) {
                    continue;
                }
                if (BertChars.isWhitespace(cp)) {
                    buf[len++] = ' ';
                    continue;
                }
            }
            if (handleChineseChars && BertChars.isChinese(cp)) {
                if (len + 4 > buf.length) {
                    buf = grow(buf, len + 4);
                }
                buf[len++] = ' ';
                len += Character.toChars(cp, buf, len);
                buf[len++] = ' ';
                continue;
            }
            nonAscii = true;
            if (lowercase && !stripAccents) {
                if (cp == 0x130) {
                    // The only unconditional one-to-many lowercase mapping: İ -> i + combining dot above.
                    if (len + 2 > buf.length) {
                        buf = grow(buf, len + 2);
                    }
                    buf[len++] = 'i';
                    buf[len++] = '\u0307';
                    continue;
                }
                cp = Character.toLowerCase(cp);
            }
            if (len + 2 > buf.length) {
                buf = grow(buf, len + 2);
            }
            len += Character.toChars(cp, buf, len);
        }
        if (stripAccents && nonAscii) {
            return stripAndLowercase(buf, len);
        }
        return new Buffer(buf, len);
    }

    private Buffer stripAndLowercase(char[] buf, int len) {
        String nfd = Normalizer.normalize(CharBuffer.wrap(buf, 0, len), Normalizer.Form.NFD);
        char[] out = new char[nfd.length() + 2];
        int n = 0;
        int i = 0;
        int end = nfd.length();
        while (i < end) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (BertChars.isNonspacingMark(cp)) {
                continue;
            }
            if (lowercase) {
                cp = cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp) : Character.toLowerCase(cp);
            }
            if (n + 2 > out.length) {
                out = grow(out, n + 2);
            }
            n += Character.toChars(cp, out, n);
        }
        return new Buffer(out, n);
    }

    private static char[] grow(char[] buf, int min) {
        return java.util.Arrays.copyOf(buf, Math.max(min, buf.length * 2));
    }
}
