package org.fairrescore.eval.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A query with graded judgments.
 *
 * @param id    unique within its dataset
 * @param text  what is searched for
 * @param gains gain of each judged item id (unjudged items gain 0); zero gains are kept so the report knows they were
 *              judged
 */
public record JudgedQuery(String id, String text, Map<String, Double> gains) {
    public JudgedQuery {
        gains = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(gains));
        for (Map.Entry<String, Double> e : gains.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0 || e.getValue().isNaN()) {
                throw new IllegalArgumentException("query " + id + ": gain of " + e.getKey() + " must be >= 0, got "
                    + e.getValue());
            }
        }
    }

    /** The gain of an item for this query; 0 when it was not judged. */
    public double gain(String itemId) {
        return gains.getOrDefault(itemId, 0.0);
    }

    /** Whether any judged item has a positive gain (else NDCG is undefined). */
    public boolean hasRelevant() {
        return gains.values().stream().anyMatch(g -> g > 0);
    }

    public double[] judgedGains() {
        return gains.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
