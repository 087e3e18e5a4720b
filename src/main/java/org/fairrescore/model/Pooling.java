package org.fairrescore.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How token vectors from {@code last_hidden_state} become one sentence vector. */
public enum Pooling {
    /** Average of the token vectors whose attention mask is 1 (sentence-transformers MiniLM). */
    MEAN("mean"),
    /** The vector of the first token, {@code [CLS]} (BGE models). */
    CLS("cls");

    private final String id;

    Pooling(String id) {
        this.id = id;
    }

    /** The name used in model manifests. */
    public String id() {
        return id;
    }

    /** Parses a manifest value ({@code mean} or {@code cls}, case-insensitive). */
    public static Pooling fromId(String value) {
        for (Pooling p : values()) {
            if (p.id.equals(value.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling [" + value + "], expected one of "
                + Arrays.stream(values()).map(Pooling::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
