package org.fairrescore.tokenizer;

import java.util.Arrays;

/**
 * A tokenized text: ids and token strings including {@code [CLS]} and {@code [SEP]}, and whether tokens were dropped
 * to fit the token limit. The arrays are owned by the encoding and must not be modified.
 */
public record Encoding(int[] ids, String[] tokens, boolean truncated) {

    /** Number of tokens, special tokens included. */
    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e
                && truncated == e.truncated
                && Arrays.equals(ids, e.ids)
                && Arrays.equals(tokens, e.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Boolean.hashCode(truncated);
    }

    @Override
    public String toString() {
        return "Encoding{tokens=" + Arrays.toString(tokens) + ", ids=" + Arrays.toString(ids) + ", truncated="
                + truncated + "}";
    }
}
