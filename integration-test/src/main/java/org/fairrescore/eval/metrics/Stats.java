package org.fairrescore.eval.metrics;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/** Summary statistics of per-query values: means with t intervals, proportions, percentiles, the jackknife. */
public final class Stats {

    private Stats() {}

    public static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample standard deviation (n - 1 in the denominator). */
    public static double sampleSd(double[] values) {
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    /**
     * Mean with the 95% t interval {@code mean ± t(0.975, n - 1) * sd / sqrt(n)}. NaN values (queries a metric
     * cannot measure) are left out and not counted in n.
     */
    public static Estimate meanCi(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> Double.isNaN(x) == false).toArray();
        int n = v.length;
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double m = mean(v);
        if (n == 1) {
            return new Estimate(m, Double.NaN, Double.NaN, 1);
        }
        double half = StudentT.quantile(0.975, n - 1) * sampleSd(v) / Math.sqrt(n);
        return new Estimate(m, m - half, m + half, n);
    }

    /** A proportion with the 95% Wilson score interval (well-behaved at 0 and 1, unlike the normal one). */
    public static Estimate proportion(int successes, int n) {
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException(successes + " successes of " + n);
        }
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        final double z = 1.959963984540054;
        double p = (double) successes / n;
        double denominator = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return new Estimate(p, Math.max(0, centre - half), Math.min(1, centre + half), n);
    }

    /**
     * Nearest-rank percentile: the smallest value such that at least {@code p} percent of the values are at or
     * below it (p50 of 1..10 is 5, p99 of 1..10 is 10).
     */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        if ((p > 0 && p <= 100) == false) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /**
     * A statistic of a whole query set with a 95% jackknife interval: the statistic of all queries, and
     * {@code ± t(0.975, n - 1) * se} with the leave-one-query-out standard error
     * {@code se = sqrt((n - 1) / n * sum_i (theta_(i) - mean theta_(.))^2)}. Unlike resampling with replacement,
     * leaving one query out never duplicates queries, which would shrink the set of shops a set-level statistic such
     * as the Gini of shop exposure ranges over and bias it.
     *
     * @param statistic computes the statistic from the indices of the queries it should use
     */
    public static Estimate jackknife(int queries, ToDoubleFunction<int[]> statistic) {
        int[] all = new int[queries];
        Arrays.setAll(all, i -> i);
        double value = statistic.applyAsDouble(all);
        if (queries < 2) {
            return new Estimate(value, Double.NaN, Double.NaN, queries);
        }
        double[] leaveOut = new double[queries];
        int[] rest = new int[queries - 1];
        for (int out = 0; out < queries; out++) {
            for (int i = 0, j = 0; i < queries; i++) {
                if (i != out) {
                    rest[j++] = i;
                }
            }
            leaveOut[out] = statistic.applyAsDouble(rest);
        }
        double m = mean(leaveOut);
        double ss = 0;
        for (double v : leaveOut) {
            ss += (v - m) * (v - m);
        }
        double half = StudentT.quantile(0.975, queries - 1) * Math.sqrt((queries - 1.0) / queries * ss);
        return new Estimate(value, value - half, value + half, queries);
    }
}
