package org.fairrescore.eval.metrics;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Summary statistics of per-query values: means with t intervals, proportions, percentiles, bootstrap. */
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
     * A statistic of a whole query set with a 95% percentile-bootstrap interval: the statistic of the set, and the
     * 2.5th and 97.5th percentiles of the statistic over {@code replicates} resamples of the queries (with
     * replacement; seeded, so the interval is reproducible).
     *
     * @param statistic computes the statistic from an array of query indices (duplicates allowed)
     */
    public static Estimate bootstrap(int queries, ToDoubleFunction<int[]> statistic, int replicates, long seed) {
        int[] all = new int[queries];
        Arrays.setAll(all, i -> i);
        double value = statistic.applyAsDouble(all);
        if (queries < 2) {
            return new Estimate(value, Double.NaN, Double.NaN, queries);
        }
        Random random = new Random(seed);
        double[] samples = new double[replicates];
        int[] pick = new int[queries];
        for (int b = 0; b < replicates; b++) {
            for (int i = 0; i < queries; i++) {
                pick[i] = random.nextInt(queries);
            }
            samples[b] = statistic.applyAsDouble(pick);
        }
        Arrays.sort(samples);
        double low = samples[(int) Math.floor(0.025 * (replicates - 1))];
        double high = samples[(int) Math.ceil(0.975 * (replicates - 1))];
        return new Estimate(value, low, high, queries);
    }
}
