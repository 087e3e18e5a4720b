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
        return new Quantiles(k, p, alpha).table(alpha);
    }

    /**
     * The binomial CDFs {@code P(X <= x)}, {@code X ~ Binomial(i + 1, p[g])} (commons-math3), for every {@code x} up
     * to the quantile at the largest significance needed, so that the table at any significance up to it is a lookup:
     * the smallest {@code x} with {@code P(X <= x) >= a}, which is {@code inverseCumulativeProbability(a)}.
     */
    private static final class Quantiles {
        private final double[][][] cdf;

        Quantiles(int k, double[] p, double maxAlpha) {
            cdf = new double[p.length][k][];
            for (int g = 0; g < p.length; g++) {
                for (int i = 0; i < k; i++) {
                    BinomialDistribution d = new BinomialDistribution(null, i + 1, p[g]);
                    int q = d.inverseCumulativeProbability(maxAlpha);
                    double[] row = new double[q + 1];
                    for (int x = 0; x <= q; x++) {
                        row[x] = d.cumulativeProbability(x);
                    }
                    cdf[g][i] = row;
                }
            }
        }

        int[][] table(double a) {
            int[][] m = new int[cdf.length][];
            for (int g = 0; g < cdf.length; g++) {
                m[g] = new int[cdf[g].length];
                for (int i = 0; i < m[g].length; i++) {
                    double[] row = cdf[g][i];
                    int x = 0;
                    while (x < row.length - 1 && row[x] < a) {
                        x++;
                    }
                    m[g][i] = x;
                }
            }
            return m;
        }
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
        // the states alive before item i: count c[g] in [lo[g], min(cap[g], i)] (each count at most the items seen,
        // at least the last prefix's minimum); after it, up to min(cap[g], i + 1)
        final int[] lo = new int[groups];
        final int[] hi = new int[groups];
        final int[] c = new int[groups];
        for (int i = 0; i < k; i++) {
            for (int g = 0; g < groups; g++) {
                hi[g] = Math.min(cap[g], i + 1);
            }
            forEach(lo, hi, c, stride, next, s -> 0.0); // clear the targets
            for (int g = 0; g < groups; g++) {
                hi[g] = Math.min(cap[g], i);
            }
            int s = first(lo, c, stride);
            do {
                double m = mass[s];
                if (m != 0) {
                    next[s] += m * rest;
                    for (int g = 0; g < groups; g++) {
                        next[c[g] < cap[g] ? s + stride[g] : s] += m * p[g];
                    }
                }
                s = advance(lo, hi, c, stride, s);
            } while (s >= 0);
            // drop the states below this prefix's minimums: those rankings have failed
            for (int g = 0; g < groups; g++) {
                hi[g] = Math.min(cap[g], i + 1);
            }
            s = first(lo, c, stride);
            do {
                for (int g = 0; g < groups; g++) {
                    if (c[g] < minimums[g][i]) {
                        next[s] = 0;
                        break;
                    }
                }
                s = advance(lo, hi, c, stride, s);
            } while (s >= 0);
            for (int g = 0; g < groups; g++) {
                lo[g] = minimums[g][i];
            }
            double[] t = mass;
            mass = next;
            next = t;
        }
        double pass = 0;
        for (int g = 0; g < groups; g++) {
            hi[g] = cap[g];
        }
        int s = first(lo, c, stride);
        do {
            pass += mass[s];
            s = advance(lo, hi, c, stride, s);
        } while (s >= 0);
        return Math.max(0.0, 1.0 - pass);
    }

    /** Sets {@code c} to the box's first corner and returns its state index. */
    private static int first(int[] lo, int[] c, int[] stride) {
        int s = 0;
        for (int g = 0; g < lo.length; g++) {
            c[g] = lo[g];
            s += lo[g] * stride[g];
        }
        return s;
    }

    /** The next state of the box [lo, hi] after {@code s} (mixed radix, group 0 fastest), or -1. */
    private static int advance(int[] lo, int[] hi, int[] c, int[] stride, int s) {
        for (int g = 0; g < c.length; g++) {
            if (c[g] < hi[g]) {
                c[g]++;
                return s + stride[g];
            }
            s -= (c[g] - lo[g]) * stride[g];
            c[g] = lo[g];
        }
        return -1;
    }

    private static void forEach(
            int[] lo, int[] hi, int[] c, int[] stride, double[] target, java.util.function.IntToDoubleFunction value) {
        int s = first(lo, c, stride);
        do {
            target[s] = value.applyAsDouble(s);
            s = advance(lo, hi, c, stride, s);
        } while (s >= 0);
    }

    /**
     * The adjusted table: bisects the significance over [0, alpha] until the tables at the two ends differ by a single
     * entry, then takes the end whose exact failure probability is closer to {@code alpha} (as {@link MTable#adjusted}
     * does; the chosen table may fail fair rankings slightly more often than alpha).
     */
    public static MultinomialMTable adjusted(int k, double[] p, double alpha) {
        validate(k, p, alpha);
        Quantiles quantiles = new Quantiles(k, p, alpha);
        double lo = 0;
        double hi = alpha;
        int[][] loTable = quantiles.table(lo);
        int[][] hiTable = quantiles.table(hi);
        double loFail = failProbability(loTable, p);
        double hiFail = failProbability(hiTable, p);
        while (mass(hiTable) - mass(loTable) > 1 && hi - lo > 1e-15) {
            double mid = (lo + hi) / 2;
            int[][] midTable = quantiles.table(mid);
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
