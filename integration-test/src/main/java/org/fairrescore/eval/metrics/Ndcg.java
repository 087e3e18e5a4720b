package org.fairrescore.eval.metrics;

import java.util.Arrays;

/**
 * Normalised discounted cumulative gain with linear gains (the gain of a label is used as is, as ESCI's official
 * scoring does) and the {@code 1 / log2(1 + r)} discount: {@code DCG@k = sum_{r <= k} gain_r / log2(1 + r)},
 * normalised by the DCG@k of the ideal ranking of every judged item of the query.
 */
public final class Ndcg {

    private Ndcg() {}

    /** DCG of the first {@code k} gains. */
    public static double dcg(double[] rankedGains, int k) {
        double sum = 0;
        int n = Math.min(k, rankedGains.length);
        for (int i = 0; i < n; i++) {
            sum += rankedGains[i] * Exposure.weight(i + 1);
        }
        return sum;
    }

    /**
     * NDCG@k of a ranking.
     *
     * @param rankedGains the gain of each ranked hit, in rank order (unjudged hits gain 0)
     * @param judgedGains the gains of every judged item of the query (the ideal ranking sorts them)
     * @return a value in [0, 1]; NaN when no judged item has a positive gain (the query is not measurable)
     */
    public static double at(int k, double[] rankedGains, double[] judgedGains) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        for (double g : rankedGains) {
            if (g < 0 || Double.isNaN(g)) {
                throw new IllegalArgumentException("gains must be >= 0, got " + g);
            }
        }
        double[] ideal = judgedGains.clone();
        Arrays.sort(ideal);
        for (int i = 0, j = ideal.length - 1; i < j; i++, j--) {
            double t = ideal[i];
            ideal[i] = ideal[j];
            ideal[j] = t;
        }
        double idcg = dcg(ideal, k);
        if (idcg <= 0) {
            return Double.NaN;
        }
        return dcg(rankedGains, k) / idcg;
    }
}
