package org.fairrescore.fairness;

import org.apache.commons.math3.distribution.BinomialDistribution;

import java.util.Arrays;

/**
 * The multinomial m-table of FA*IR with several protected groups (Zehlike et al. 2022): {@code minimums[g][i]} is the
 * fewest items of group {@code g} that a ranking may hold in its top {@code i + 1} and still pass the ranked group
 * fairness test. The null model is a <em>fair</em> ranking: each item independently of group {@code g} with
 * probability {@code p[g]} and unprotected with probability {@code 1 - sum p}, i.e. the counts of a prefix follow a
 * multinomial law, whose marginal for one group is binomial. The table at significance {@code a} takes, for each
 * group and prefix, the inverse binomial CDF of that marginal ({@code F^-1(a; i + 1, p[g])}, commons-math3); the
 * acceptance region of a prefix is the box of count vectors at or above those minimums (this is what a placement
 * needs: one minimum per group and prefix; the paper's tree of alternative minimum tuples per prefix is not built).
 *
 * <p>Testing every prefix and every group fails fair rankings more often than {@code a}: the adjusted table bisects
 * the significance, as {@link MTable} does for one group, until its <em>exact</em> overall failure probability under
 * the multinomial null ({@link #failProbability}: a dynamic programme over the count vectors of the prefixes) is as
 * close to {@code alpha} as a one-entry change of the table allows. With one group it is exactly {@link MTable}.
 *
 * @param minimums        {@code minimums[g][i]}: group {@code g}'s minimum in the top {@code i + 1}
 * @param failProbability exact probability that a fair ranking fails the table at some prefix
 */
public record MultinomialMTable(
        int k, double[] proportions, double alpha, double adjustedAlpha, int[][] minimums, double failProbability) {

    /** Unadjusted table at significance {@code alpha}: per group the inverse binomial CDF of its marginal. */
    public static int[][] minimums(int k, double[] p, double alpha) {
        validate(k, p, alpha);
        return table(k, p, alpha);
    }

    private static int[][] table(int k, double[] p, double alpha) {
        int[][] m = new int[p.length][];
        for (int g = 0; g < p.length; g++) {
            m[g] = new int[k];
            for (int i = 0; i < k; i++) {
                m[g][i] = new BinomialDistribution(null, i + 1, p[g]).inverseCumulativeProbability(alpha);
            }
        }
        return m;
    }

    /**
     * Exact probability that a fair ranking of {@code minimums[0].length} items (each of group {@code g} with
     * probability {@code p[g]}, else unprotected) holds fewer than {@code minimums[g][i]} items of some group in some
     * top {@code i + 1}. Dynamic programme over the vector of counts per group, each capped at the group's last
     * minimum (a count that reached it can no longer fail): {@code prod (m[g][k-1] + 1)} states per prefix, states
     * below a prefix's minimums dropped as failed.
     */
    public static double failProbability(int[][] minimums, double[] p) {
        final int groups = p.length;
        final int k = minimums[0].length;
        final int[] cap = new int[groups];
        final int[] stride = new int[groups];
        int states = 1;
        double rest = 1;
        for (int g = 0; g < groups; g++) {
            cap[g] = minimums[g][k - 1];
            stride[g] = states;
            states = Math.multiplyExact(states, cap[g] + 1);
            rest -= p[g];
        }
        double[] mass = new double[states];
        double[] next = new double[states];
        mass[0] = 1.0;
        final int[] count = new int[groups];
        for (int i = 0; i < k; i++) {
            Arrays.fill(next, 0);
            Arrays.fill(count, 0);
            for (int s = 0; s < states; s++) {
                double m = mass[s];
                if (m != 0) {
                    next[s] += m * rest;
                    for (int g = 0; g < groups; g++) {
                        next[count[g] < cap[g] ? s + stride[g] : s] += m * p[g];
                    }
                }
                // advance the mixed-radix counter of state s
                for (int g = 0; g < groups; g++) {
                    if (++count[g] <= cap[g]) {
                        break;
                    }
                    count[g] = 0;
                }
            }
            // drop the states below this prefix's minimums: those rankings have failed
            Arrays.fill(count, 0);
            for (int s = 0; s < states; s++) {
                for (int g = 0; g < groups; g++) {
                    if (count[g] < minimums[g][i]) {
                        next[s] = 0;
                        break;
                    }
                }
                for (int g = 0; g < groups; g++) {
                    if (++count[g] <= cap[g]) {
                        break;
                    }
                    count[g] = 0;
                }
            }
            double[] t = mass;
            mass = next;
            next = t;
        }
        double pass = 0;
        for (double v : mass) {
            pass += v;
        }
        return Math.max(0.0, 1.0 - pass);
    }

    /**
     * The adjusted table: bisects the significance over [0, alpha] until the tables at the two ends differ by a single
     * entry, then takes the end whose exact failure probability is closer to {@code alpha} (as {@link MTable#adjusted}
     * does; the chosen table may fail fair rankings slightly more often than alpha).
     */
    public static MultinomialMTable adjusted(int k, double[] p, double alpha) {
        validate(k, p, alpha);
        double lo = 0;
        double hi = alpha;
        int[][] loTable = table(k, p, lo);
        int[][] hiTable = table(k, p, hi);
        double loFail = failProbability(loTable, p);
        double hiFail = failProbability(hiTable, p);
        while (mass(hiTable) - mass(loTable) > 1 && hi - lo > 1e-15) {
            double mid = (lo + hi) / 2;
            int[][] midTable = table(k, p, mid);
            double midFail = failProbability(midTable, p);
            if (midFail == alpha) {
                return new MultinomialMTable(k, p.clone(), alpha, mid, midTable, midFail);
            }
            if (midFail < alpha) {
                lo = mid;
                loTable = midTable;
                loFail = midFail;
            } else {
                hi = mid;
                hiTable = midTable;
                hiFail = midFail;
            }
        }
        if (Math.abs(alpha - loFail) <= Math.abs(hiFail - alpha)) {
            return new MultinomialMTable(k, p.clone(), alpha, lo, loTable, loFail);
        }
        return new MultinomialMTable(k, p.clone(), alpha, hi, hiTable, hiFail);
    }

    /** Group {@code g}'s minimum in the top {@code prefix} (1-based length). */
    public int minimum(int g, int prefix) {
        return minimums[g][prefix - 1];
    }

    private static long mass(int[][] table) {
        long sum = 0;
        for (int[] row : table) {
            for (int m : row) {
                sum += m;
            }
        }
        return sum;
    }

    static void validate(int k, double[] p, double alpha) {
        if (k < 1) {
            throw new IllegalArgumentException("FA*IR k must be at least 1, got " + k);
        }
        if (p == null || p.length == 0) {
            throw new IllegalArgumentException("group_fair_topk needs at least one proportion");
        }
        GroupFairTopK.validate(p, alpha, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultinomialMTable other
                && k == other.k
                && Arrays.equals(proportions, other.proportions)
                && alpha == other.alpha
                && adjustedAlpha == other.adjustedAlpha
                && Arrays.deepEquals(minimums, other.minimums);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(minimums) + Double.hashCode(adjustedAlpha);
    }

    @Override
    public String toString() {
        return "MultinomialMTable[k=" + k + ", p=" + Arrays.toString(proportions) + ", alpha=" + alpha
                + ", adjustedAlpha=" + adjustedAlpha + ", m=" + Arrays.deepToString(minimums) + "]";
    }
}
