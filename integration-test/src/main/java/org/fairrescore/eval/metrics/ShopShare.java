package org.fairrescore.eval.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** How much of the top {@code k} one shop holds, and how many shops it shows. */
public final class ShopShare {

    private ShopShare() {}

    /** The largest shop's share of the top-k hits by count; NaN for an empty ranking. */
    public static double maxCountShare(List<String> shops, int k) {
        int n = Math.min(k, shops.size());
        if (n == 0) {
            return Double.NaN;
        }
        Map<String, Integer> counts = new HashMap<>();
        int max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, counts.merge(shops.get(i), 1, Integer::sum));
        }
        return (double) max / n;
    }

    /** The largest shop's share of the top-k exposure ({@link Exposure#weight}); NaN for an empty ranking. */
    public static double maxExposureShare(List<String> shops, int k) {
        int n = Math.min(k, shops.size());
        if (n == 0) {
            return Double.NaN;
        }
        double max = 0;
        for (double e : Exposure.byGroup(shops, k).values()) {
            max = Math.max(max, e);
        }
        return max / Exposure.total(n);
    }

    /** Number of distinct shops in the top k. */
    public static int distinct(List<String> shops, int k) {
        return new HashSet<>(shops.subList(0, Math.min(k, shops.size()))).size();
    }
}
