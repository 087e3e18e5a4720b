package org.fairrescore.eval.metrics;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * The two-sided exact sign test of paired values: ties are dropped, and under the null hypothesis (neither ranker is
 * better) the number of wins among the n = wins + losses other queries is Binomial(n, 1/2). The p-value is
 * {@code min(1, 2 P(X <= min(wins, losses)))}, the binomial from commons-math3.
 */
public final class SignTest {

    private SignTest() {}

    /** Two-sided p-value of {@code wins} against {@code losses}; 1 when there is no untied query. */
    public static double pValue(int wins, int losses) {
        if (wins < 0 || losses < 0) {
            throw new IllegalArgumentException("wins and losses must be >= 0, got " + wins + " and " + losses);
        }
        int n = wins + losses;
        if (n == 0) {
            return 1;
        }
        BinomialDistribution b = new BinomialDistribution(null, n, 0.5);
        return Math.min(1, 2 * b.cumulativeProbability(Math.min(wins, losses)));
    }
}
