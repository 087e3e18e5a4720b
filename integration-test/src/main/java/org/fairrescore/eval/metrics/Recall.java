package org.fairrescore.eval.metrics;

import java.util.List;
import java.util.Set;

/**
 * Recall at k of a set of relevant items, capped: {@code found / min(k, relevant)}, so a page that shows k relevant
 * items of a larger set scores 1 (plain recall would be bounded by k / relevant and unreadably small for queries with
 * hundreds of relevant products).
 */
public final class Recall {

    private Recall() {}

    /** NaN when {@code relevant} is empty (nothing to find). */
    public static double cappedAt(int k, List<String> rankedIds, Set<String> relevant) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (relevant.isEmpty()) {
            return Double.NaN;
        }
        int found = 0;
        for (int i = 0; i < Math.min(k, rankedIds.size()); i++) {
            if (relevant.contains(rankedIds.get(i))) {
                found++;
            }
        }
        return (double) found / Math.min(k, relevant.size());
    }
}
