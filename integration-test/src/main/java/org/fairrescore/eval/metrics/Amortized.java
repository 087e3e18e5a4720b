package org.fairrescore.eval.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fairness of exposure over a stream of searches (amortized, Biega et al. 2018; Singh &amp; Joachims 2018): each shop's
 * share of all exposure against its share of all merit, summed over the stream.
 *
 * <ul>
 *   <li>{@link #tvd}: total variation distance between two distributions over shops, {@code 1/2 sum_s |p_s - q_s|}
 *       with {@code p}, {@code q} each normalised to sum 1 (0: exposure exactly proportional to merit; 1: all exposure
 *       on shops without merit);</li>
 *   <li>{@link #ratioGini}: the Gini coefficient, over the shops with merit, of {@code exposure share / merit share}
 *       (0: every shop gets exposure in proportion to its merit);</li>
 *   <li>{@link #share}: the share of a distribution that a set of shops holds;</li>
 *   <li>{@link #labelMerit}: the merit a search's first-pass window brings each shop by the human labels.</li>
 * </ul>
 */
public final class Amortized {

    private Amortized() {}

    /**
     * Total variation distance between {@code p} and {@code q}, each normalised to sum 1 (shops absent from one count
     * as 0 there). NaN when either sums to 0. Negative or NaN values are refused.
     */
    public static double tvd(Map<String, Double> p, Map<String, Double> q) {
        double pt = total(p);
        double qt = total(q);
        if (pt <= 0 || qt <= 0) {
            return Double.NaN;
        }
        Set<String> shops = new HashSet<>(p.keySet());
        shops.addAll(q.keySet());
        double sum = 0;
        for (String s : shops) {
            sum += Math.abs(p.getOrDefault(s, 0.0) / pt - q.getOrDefault(s, 0.0) / qt);
        }
        return Math.min(1, sum / 2);
    }

    /**
     * Gini of {@code (exposure_s / E) / (merit_s / M)} over the shops with merit above 0 (E, M: the totals). Shops
     * with exposure but no merit have no ratio and are left out (the TVD counts them). NaN when there is no exposure
     * or no merit.
     */
    public static double ratioGini(Map<String, Double> exposure, Map<String, Double> merit) {
        double et = total(exposure);
        double mt = total(merit);
        if (et <= 0 || mt <= 0) {
            return Double.NaN;
        }
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<String, Double> m : merit.entrySet()) {
            if (m.getValue() > 0) {
                ratios.add((exposure.getOrDefault(m.getKey(), 0.0) / et) / (m.getValue() / mt));
            }
        }
        return Gini.of(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The share of {@code values}' total held by {@code shops}; NaN when the total is 0. */
    public static double share(Map<String, Double> values, Collection<String> shops) {
        double t = total(values);
        if (t <= 0) {
            return Double.NaN;
        }
        double held = 0;
        for (String s : new HashSet<>(shops)) {
            held += values.getOrDefault(s, 0.0);
        }
        return held / t;
    }

    /** The {@code n} keys with the largest values (ties by key), for "the three shops with the most exposure". */
    public static List<String> largest(Map<String, Double> values, int n) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(values.entrySet());
        entries.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
            : Double.compare(b.getValue(), a.getValue()));
        return entries.subList(0, Math.min(n, entries.size())).stream().map(Map.Entry::getKey).toList();
    }

    /**
     * The label merit one search brings: for each shop, the sum of the gains of its items in the first-pass window
     * ({@code windowIds.get(i)} sold by {@code windowShops.get(i)}); items without a positive gain and hits without a
     * shop bring nothing. Shops appear in window order.
     */
    public static Map<String, Double> labelMerit(List<String> windowIds, List<String> windowShops,
                                                 Map<String, Double> gains) {
        if (windowIds.size() != windowShops.size()) {
            throw new IllegalArgumentException(windowIds.size() + " ids for " + windowShops.size() + " shops");
        }
        Map<String, Double> merit = new LinkedHashMap<>();
        for (int i = 0; i < windowIds.size(); i++) {
            double g = gains.getOrDefault(windowIds.get(i), 0.0);
            String shop = windowShops.get(i);
            if (g > 0 && shop != null) {
                merit.merge(shop, g, Double::sum);
            }
        }
        return merit;
    }

    static double total(Map<String, Double> values) {
        double t = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double v = e.getValue();
            if (v < 0 || Double.isNaN(v)) {
                throw new IllegalArgumentException("shop " + e.getKey() + " has a negative or NaN value " + v);
            }
            t += v;
        }
        return t;
    }
}
