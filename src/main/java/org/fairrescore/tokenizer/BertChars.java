package org.fairrescore.tokenizer;

/**
 * Character classes of the Hugging Face {@code tokenizers} crate's {@code BertNormalizer} and
 * {@code BertPreTokenizer}, which decide how text is cleaned and split before WordPiece. General categories come from
 * {@link BertCharTables} (the crate's own, older Unicode tables), not from {@link Character#getType}, so that
 * tokenization does not change with the JDK's Unicode version; whitespace and case follow Rust's standard library.
 */
final class BertChars {

    private static final byte WORD = 0;
    private static final byte SPACE = 1;
    private static final byte PUNCT = 2;
    private static final byte CONTROL = 3;

    /** Pre-tokenizer class of each ASCII character (after cleaning). */
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = classifyAsciiSlow(c);
        }
    }

    private BertChars() {}

    private static byte classifyAsciiSlow(int c) {
        // Control characters first: clean_text drops U+000B and U+000C although they are whitespace.
        if ((c < 32 || c == 127) && c != '\t' && c != '\n' && c != '\r') {
            return CONTROL;
        }
        if (isWhitespace(c)) {
            return SPACE;
        }
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return PUNCT;
        }
        return WORD;
    }

    /**
     * Rust's {@code char::is_whitespace} (the Unicode White_Space property). Java's {@link Character#isWhitespace}
     * differs: it excludes no-break spaces and includes U+001C..U+001F.
     */
    static boolean isWhitespace(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85
                || cp == 0xA0
                || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028
                || cp == 0x2029
                || cp == 0x202F
                || cp == 0x205F
                || cp == 0x3000;
    }

    /**
     * Removed by {@code clean_text}: categories Cc, Cf and Co (and lone surrogates), except tab, newline and carriage
     * return (which count as whitespace). Unassigned code points are kept, as the crate does.
     */
    static boolean isControl(int cp) {
        if (cp < 0x80) {
            return ASCII[cp] == CONTROL;
        }
        return (cp >= 0xD800 && cp <= 0xDFFF) || BertCharTables.contains(BertCharTables.REMOVED, cp);
    }

    /** {@code BertPreTokenizer}'s punctuation: the ASCII punctuation ranges plus categories P*. */
    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return ASCII[cp] == PUNCT;
        }
        return BertCharTables.contains(BertCharTables.PUNCTUATION, cp);
    }

    /** Dropped by {@code strip_accents} after NFD: category Mn. */
    static boolean isNonspacingMark(int cp) {
        return cp >= 0x300 && BertCharTables.contains(BertCharTables.NONSPACING_MARKS, cp);
    }

    /**
     * {@code handle_chinese_chars}: the CJK ideograph blocks the crate pads with spaces. The ranges are the crate's,
     * including its gap at U+2B820..U+2B91F (which the original BERT code includes).
     */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Whitespace in the pre-tokenizer's sense ({@code char::is_whitespace}). */
    static boolean isSplitSpace(int cp) {
        return isWhitespace(cp);
    }
}
