package org.fairrescore.fairness;

import org.apache.commons.math3.distribution.BinomialDistribution;

import java.util.Arrays;

/**
 * FA*IR's table of minimum protected counts (Zehlike et al., CIKM 2017): {@code m[i]} is the fewest protected items a
 * ranking may hold in its top {@code i + 1} and still pass the ranked group fairness test at significance
 * {@code alpha} against minimum proportion {@code p}, i.e. the inverse binomial CDF {@code F^-1(alpha; i + 1, p)}.
 * Testing every prefix at {@code alpha} fails fair rankings more often than {@code alpha}; the adjusted table uses the
 * corrected significance {@code alpha_c} whose exact overall failure probability stays within {@code alpha}.
 */
public record MTable(int k, double p, double alpha, double adjustedAlpha, int[] minimums, double failProbability) {

    /** Unadjusted table at significance {@code alpha}. */
    public static int[] minimums(int k, double p, double alpha) {
        validate(k, p, alpha);
        return table(k, p, alpha);
    }

    private static int[] table(int k, double p, double alpha) {
        int[] m = new int[k];
        for (int i = 0; i < k; i++) {
            // the smallest x with P(X <= x) >= alpha, X ~ Binomial(i + 1, p)
            m[i] = new BinomialDistribution(null, i + 1, p).inverseCumulativeProbability(alpha);
        }
        return m;
    }

    /**
     * Exact probability that a ranking whose items are protected independently with probability {@code p} fails the
     * table at some prefix (dynamic programme over the protected count).
     */
    public static double failProbability(int[] minimums, double p) {
        int k = minimums.length;
        double[] mass = new double[k + 1];
        mass[0] = 1.0;
        for (int i = 0; i < k; i++) {
            for (int c = i + 1; c >= 1; c--) {
                mass[c] = mass[c] * (1 - p) + mass[c - 1] * p;
            }
            mass[0] = mass[0] * (1 - p);
            for (int c = 0; c < minimums[i]; c++) {
                mass[c] = 0; // rankings with too few protected in this prefix have failed
            }
        }
        double pass = 0;
        for (double v : mass) {
            pass += v;
        }
        return Math.max(0.0, 1.0 - pass);
    }

    /**
     * The adjusted table: bisects the significance over [0, alpha] until the tables at the two ends differ by a
     * single entry, then takes the end whose exact failure probability is closer to {@code alpha} (as FA*IR's
     * reference implementation does; the chosen table may fail fair rankings slightly more often than alpha).
     */
    public static MTable adjusted(int k, double p, double alpha) {
        validate(k, p, alpha);
        double lo = 0;
        double hi = alpha;
        int[] loTable = table(k, p, lo);
        int[] hiTable = table(k, p, hi);
        double loFail = failProbability(loTable, p);
        double hiFail = failProbability(hiTable, p);
        while (mass(hiTable) - mass(loTable) > 1 && hi - lo > 1e-15) {
            double mid = (lo + hi) / 2;
            int[] midTable = table(k, p, mid);
            double midFail = failProbability(midTable, p);
            if (midFail == alpha) {
                return new MTable(k, p, alpha, mid, midTable, midFail);
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
            return new MTable(k, p, alpha, lo, loTable, loFail);
        }
        return new MTable(k, p, alpha, hi, hiTable, hiFail);
    }

    private static int mass(int[] table) {
        int sum = 0;
        for (int m : table) {
            sum += m;
        }
        return sum;
    }

    static void validate(int k, double p, double alpha) {
        if (k < 1) {
            throw new IllegalArgumentException("FA*IR k must be at least 1, got " + k);
        }
        if ((p > 0 && p < 1) == false) {
            throw new IllegalArgumentException("FA*IR p must be strictly between 0 and 1, got " + p);
        }
        if ((alpha > 0 && alpha < 1) == false) {
            throw new IllegalArgumentException("FA*IR alpha must be strictly between 0 and 1, got " + alpha);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MTable other
                && k == other.k
                && p == other.p
                && alpha == other.alpha
                && adjustedAlpha == other.adjustedAlpha
                && Arrays.equals(minimums, other.minimums);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(minimums) + Double.hashCode(adjustedAlpha);
    }

    @Override
    public String toString() {
        return "MTable[k=" + k + ", p=" + p + ", alpha=" + alpha + ", adjustedAlpha=" + adjustedAlpha + ", m="
                + Arrays.toString(minimums) + "]";
    }
}
