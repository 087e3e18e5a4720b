package org.fairrescore.eval.metrics;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Attention-weighted rank fairness (Sapiezynski et al. 2019, as in the TREC Fair Ranking track): the distance between
 * the distribution of a ranking's exposure over groups and a target distribution, here the Jensen-Shannon divergence
 * with base-2 logarithms, so 0 means the ranking spreads its exposure exactly as the target does and 1 means the two
 * have disjoint support. The target is uniform over the given groups (in the report: the shops that have a relevant
 * item for the query); exposure that goes to other groups counts against the ranking.
 */
public final class Awrf {

    private Awrf() {}

    /**
     * @param exposure     exposure per group of the ranking (non-negative; groups absent get 0)
     * @param targetGroups the groups the target spreads uniformly over
     * @return the JS divergence in [0, 1]; NaN when the ranking has no exposure or the target no group
     */
    public static double distance(Map<String, Double> exposure, Collection<String> targetGroups) {
        Set<String> target = new LinkedHashSet<>(targetGroups);
        double total = 0;
        for (double e : exposure.values()) {
            if (e < 0 || Double.isNaN(e)) {
                throw new IllegalArgumentException("exposure must be >= 0, got " + exposure);
            }
            total += e;
        }
        if (total == 0 || target.isEmpty()) {
            return Double.NaN;
        }
        Set<String> support = new LinkedHashSet<>(target);
        support.addAll(exposure.keySet());
        double t = 1.0 / target.size();
        double divergence = 0;
        for (String g : support) {
            double p = exposure.getOrDefault(g, 0.0) / total;
            double q = target.contains(g) ? t : 0;
            double m = (p + q) / 2;
            divergence += 0.5 * term(p, m) + 0.5 * term(q, m);
        }
        return Math.max(0, Math.min(1, divergence));
    }

    private static double term(double p, double m) {
        return p == 0 ? 0 : p * Math.log(p / m) / Math.log(2);
    }
}
