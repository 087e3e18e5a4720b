package org.fairrescore.eval.data;

import java.util.Locale;

/** The four ESCI judgments. */
public enum EsciLabel {
    EXACT, SUBSTITUTE, COMPLEMENT, IRRELEVANT;

    /**
     * Reads a label as the ESCI files write it ({@code E}, {@code S}, {@code C}, {@code I}, or the full word in any
     * case) or as a rating of the OpenSearch search-relevance redistribution ({@code 100} Exact, {@code 10}
     * Substitute, {@code 1} Complement, {@code 0} Irrelevant, optionally with decimals).
     */
    public static EsciLabel parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "e", "exact" -> { return EXACT; }
            case "s", "substitute" -> { return SUBSTITUTE; }
            case "c", "complement" -> { return COMPLEMENT; }
            case "i", "irrelevant" -> { return IRRELEVANT; }
            default -> { }
        }
        try {
            double rating = Double.parseDouble(t);
            if (rating == 100) {
                return EXACT;
            }
            if (rating == 10) {
                return SUBSTITUTE;
            }
            if (rating == 1) {
                return COMPLEMENT;
            }
            if (rating == 0) {
                return IRRELEVANT;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("not an ESCI label: \"" + text
            + "\" (expected E/S/C/I, exact/substitute/complement/irrelevant, or a rating 100/10/1/0)");
    }
}
