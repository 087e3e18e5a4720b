package org.fairrescore.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strata of an imbalanced set: thirds by a size or frequency, means per stratum, and means weighted by traffic.
 */
public final class Strata {

    /** The three strata, largest first. */
    public static final List<String> QUERY_STRATA = List.of("head", "torso", "tail");
    public static final List<String> SHOP_TIERS = List.of("head", "mid", "tail");

    private Strata() {}

    /**
     * Thirds by value, largest first: the ceil(n/3) largest values are {@code names[0]}, the next ceil((n - that)/2)
     * {@code names[1]}, the rest {@code names[2]}; equal values keep their input order.
     */
    public static String[] thirds(double[] values, List<String> names) {
        int n = values.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i));
        int first = (n + 2) / 3;
        int second = first + (n - first + 1) / 2;
        String[] out = new String[n];
        for (int r = 0; r < n; r++) {
            out[order[r]] = names.get(r < first ? 0 : r < second ? 1 : 2);
        }
        return out;
    }

    /**
     * Shop tiers by catalog size: shops in size order (largest first, as given) are {@code head} while the items of
     * the larger shops before them are under a third of all items, {@code mid} while under two thirds, then
     * {@code tail}. So the head is the few big shops that list the first third of the catalog.
     */
    public static Map<String, String> shopTiers(Map<String, Integer> sizesLargestFirst) {
        long total = 0;
        for (int s : sizesLargestFirst.values()) {
            total += s;
        }
        Map<String, String> tiers = new LinkedHashMap<>();
        long before = 0;
        for (Map.Entry<String, Integer> e : sizesLargestFirst.entrySet()) {
            tiers.put(e.getKey(), 3 * before < total ? "head" : 3 * before < 2 * total ? "mid" : "tail");
            before += e.getValue();
        }
        return tiers;
    }

    /** Mean of the values whose stratum is {@code stratum}, NaN values left out; NaN when none. */
    public static double mean(double[] values, String[] strata, String stratum) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (strata[i].equals(stratum) && Double.isNaN(values[i]) == false) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Sum of the weights of a stratum's queries. */
    public static double weight(double[] weights, String[] strata, String stratum) {
        double w = 0;
        for (int i = 0; i < weights.length; i++) {
            if (strata[i].equals(stratum)) {
                w += weights[i];
            }
        }
        return w;
    }

    /**
     * The post-stratified mean: each stratum's mean weighted by its share of the traffic, {@code sum_s W_s m_s /
     * sum_s W_s} over the strata with a mean. It undoes the sampling: a set that holds as many rare queries as popular
     * ones counts each stratum as often as the traffic does.
     */
    public static double poststratified(double[] values, String[] strata, double[] weights, List<String> names) {
        double sum = 0;
        double w = 0;
        for (String s : names) {
            double m = mean(values, strata, s);
            double ws = weight(weights, strata, s);
            if (Double.isNaN(m) == false && ws > 0) {
                sum += ws * m;
                w += ws;
            }
        }
        return w == 0 ? Double.NaN : sum / w;
    }

    /** {@code sum_i w_i v_i / sum_i w_i} over the values that are not NaN; NaN when none. */
    public static double weightedMean(double[] values, double[] weights) {
        double sum = 0;
        double w = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i]) == false) {
                sum += weights[i] * values[i];
                w += weights[i];
            }
        }
        return w == 0 ? Double.NaN : sum / w;
    }

    /** Indices of the values that are not NaN. */
    public static List<Integer> present(double[] values) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i]) == false) {
                out.add(i);
            }
        }
        return out;
    }
}
