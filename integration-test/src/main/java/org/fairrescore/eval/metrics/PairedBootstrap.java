package org.fairrescore.eval.metrics;

import java.util.Arrays;
import java.util.Random;

/**
 * Paired comparison of two rankers over the same queries: the mean per-query difference with a 95% percentile
 * bootstrap interval (queries resampled with replacement), the ratio of the means, and wins, ties and losses.
 *
 * <p>The bootstrap draws {@code resamples} samples of n query indices with replacement from a {@link Random} seeded
 * with {@code seed} (its sequence is specified by the JDK, so the interval is the same on every JVM), takes the mean
 * difference of each, and reports the 2.5th and 97.5th percentiles of those means, interpolated linearly between
 * order statistics ({@link #quantile}). With the same seed and n every comparison resamples the same query sets.
 */
public final class PairedBootstrap {

    /** Resamples of the report's intervals. */
    public static final int RESAMPLES = 10_000;
    /** Seed of the report's intervals. */
    public static final long SEED = 20240611L;
    /** Per-query differences at most this far from 0 count as ties. */
    public static final double TIE = 1e-9;

    /**
     * {@code other} against {@code base} over n paired queries.
     *
     * @param n        queries
     * @param baseMean mean of the base ranker
     * @param mean     mean of the other ranker
     * @param meanDiff mean of {@code other - base}
     * @param low      2.5th percentile of the bootstrap means of the difference
     * @param high     97.5th percentile
     * @param ratio    {@code mean / baseMean} (NaN when the base mean is 0)
     * @param wins     queries where {@code other} is higher by more than {@link #TIE}
     * @param ties     queries within {@link #TIE}
     * @param losses   queries where {@code other} is lower by more than {@link #TIE}
     */
    public record Comparison(int n, double baseMean, double mean, double meanDiff, double low, double high,
                             double ratio, int wins, int ties, int losses) {
    }

    private PairedBootstrap() {}

    /** The report's comparison: {@value #RESAMPLES} resamples, seed {@value #SEED}. */
    public static Comparison compare(double[] base, double[] other) {
        return compare(base, other, RESAMPLES, SEED);
    }

    public static Comparison compare(double[] base, double[] other, int resamples, long seed) {
        if (base.length != other.length) {
            throw new IllegalArgumentException("paired values need equal lengths, got " + base.length + " and "
                + other.length);
        }
        double[] diffs = new double[base.length];
        int wins = 0;
        int ties = 0;
        for (int i = 0; i < base.length; i++) {
            if (Double.isNaN(base[i]) || Double.isNaN(other[i])) {
                throw new IllegalArgumentException("query " + i + " has no value (NaN)");
            }
            diffs[i] = other[i] - base[i];
            if (diffs[i] > TIE) {
                wins++;
            } else if (diffs[i] >= -TIE) {
                ties++;
            }
        }
        double[] ci = interval(diffs, resamples, seed);
        double baseMean = Stats.mean(base);
        double mean = Stats.mean(other);
        return new Comparison(base.length, baseMean, mean, Stats.mean(diffs), ci[0], ci[1],
            baseMean == 0 ? Double.NaN : mean / baseMean, wins, ties, base.length - wins - ties);
    }

    /** The 95% percentile bootstrap interval {low, high} of the mean of {@code values}. */
    public static double[] interval(double[] values, int resamples, long seed) {
        double[] means = resampledMeans(values, resamples, new Random(seed));
        Arrays.sort(means);
        return new double[] {quantile(means, 0.025), quantile(means, 0.975)};
    }

    /**
     * The 95% percentile bootstrap interval {low, high} of {@code mean(other) / mean(base)} over paired queries: each
     * resample draws query indices with replacement (the same draws as {@link #interval} for the same n and seed)
     * and takes the ratio of the two means over them. A resample whose base mean is 0 has no ratio and fails.
     */
    public static double[] ratioInterval(double[] base, double[] other, int resamples, long seed) {
        double[] ratios = resampledRatios(base, other, resamples, new Random(seed));
        Arrays.sort(ratios);
        return new double[] {quantile(ratios, 0.025), quantile(ratios, 0.975)};
    }

    /** {@link #ratioInterval} with the report's resamples and seed. */
    public static double[] ratioInterval(double[] base, double[] other) {
        return ratioInterval(base, other, RESAMPLES, SEED);
    }

    /** Ratios {@code mean(other) / mean(base)} of {@code resamples} paired samples drawn with replacement. */
    static double[] resampledRatios(double[] base, double[] other, int resamples, Random random) {
        int n = base.length;
        if (n != other.length) {
            throw new IllegalArgumentException("paired values need equal lengths, got " + n + " and " + other.length);
        }
        if (n == 0) {
            throw new IllegalArgumentException("no values to resample");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("need at least one resample, got " + resamples);
        }
        double[] ratios = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double baseSum = 0;
            double otherSum = 0;
            for (int i = 0; i < n; i++) {
                int q = random.nextInt(n);
                baseSum += base[q];
                otherSum += other[q];
            }
            if (baseSum == 0) {
                throw new IllegalArgumentException("a resample's base mean is 0: the ratio is undefined");
            }
            ratios[b] = otherSum / baseSum;
        }
        return ratios;
    }

    /** Means of {@code resamples} samples of {@code values.length} values drawn with replacement. */
    static double[] resampledMeans(double[] values, int resamples, Random random) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values to resample");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("need at least one resample, got " + resamples);
        }
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        return means;
    }

    /**
     * The q-quantile of sorted values, interpolated linearly between order statistics at position {@code q (m - 1)}
     * (0-based; Hyndman and Fan's type 7, numpy's default).
     */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0 || (q >= 0 && q <= 1) == false) {
            throw new IllegalArgumentException("need values and q in [0, 1], got " + sorted.length + " values, q=" + q);
        }
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
