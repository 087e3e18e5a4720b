package org.fairrescore.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Position-based exposure: a user looks at 1-based position {@code r} with weight {@code 1 / log2(1 + r)}, the
 * discount of DCG and of the plugin's {@code share} mode.
 */
public final class Exposure {

    private Exposure() {}

    /** Exposure weight of 1-based position {@code r}: 1, 0.631, 0.5, 0.431, ... */
    public static double weight(int position) {
        if (position < 1) {
            throw new IllegalArgumentException("positions are 1-based, got " + position);
        }
        return Math.log(2) / Math.log(1 + position);
    }

    /** Sum of the weights of positions 1..n. */
    public static double total(int n) {
        double sum = 0;
        for (int r = 1; r <= n; r++) {
            sum += weight(r);
        }
        return sum;
    }

    /**
     * Exposure per group over the first {@code k} entries of a ranking ({@code groups.get(i)} is the group of the
     * hit at position {@code i + 1}), in order of first appearance.
     */
    public static Map<String, Double> byGroup(List<String> groups, int k) {
        Map<String, Double> exposure = new LinkedHashMap<>();
        int n = Math.min(k, groups.size());
        for (int i = 0; i < n; i++) {
            exposure.merge(groups.get(i), weight(i + 1), Double::sum);
        }
        return exposure;
    }
}
