package org.fairrescore.eval.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.Test;

/** The paired bootstrap against hand-worked values and the properties an interval of a mean must have. */
public class PairedBootstrapTests {

    @Test
    public void quantilesInterpolateBetweenOrderStatistics() {
        double[] sorted = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        // position q (m - 1) = 0.025 * 10 = 0.25 and 0.975 * 10 = 9.75
        assertEquals(0.25, PairedBootstrap.quantile(sorted, 0.025), 1e-12);
        assertEquals(9.75, PairedBootstrap.quantile(sorted, 0.975), 1e-12);
        assertEquals(5, PairedBootstrap.quantile(sorted, 0.5), 0);
        assertEquals(0, PairedBootstrap.quantile(sorted, 0), 0);
        assertEquals(10, PairedBootstrap.quantile(sorted, 1), 0);
        assertEquals(7, PairedBootstrap.quantile(new double[] {7}, 0.975), 0);
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.quantile(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.quantile(sorted, 1.5));
    }

    @Test
    public void resampledMeansOfAHandWorkedDraw() {
        // Random(1).nextInt(3) draws 0, 1, 1, 0, 2, 1 ... (the JDK specifies Random's sequence): resamples of
        // {10, 20, 40} are (10, 20, 20) and (10, 40, 20), means 50/3 and 70/3
        Random check = new Random(1);
        int[] draws = new int[6];
        Arrays.setAll(draws, i -> check.nextInt(3));
        assertArrayEquals(new int[] {0, 1, 1, 0, 2, 1}, draws);
        double[] means = PairedBootstrap.resampledMeans(new double[] {10, 20, 40}, 2, new Random(1));
        assertEquals(50.0 / 3, means[0], 1e-12);
        assertEquals(70.0 / 3, means[1], 1e-12);
    }

    @Test
    public void handWorkedComparison() {
        double[] base = {0.5, 0.2, 0.7, 0.4};
        double[] other = {0.6, 0.2, 0.5, 0.8};
        // differences +0.1, 0, -0.2, +0.4: mean 0.075; means 0.45 and 0.525, ratio 7/6
        PairedBootstrap.Comparison c = PairedBootstrap.compare(base, other, 10_000, 7);
        assertEquals(4, c.n());
        assertEquals(0.45, c.baseMean(), 1e-12);
        assertEquals(0.525, c.mean(), 1e-12);
        assertEquals(0.075, c.meanDiff(), 1e-12);
        assertEquals(7.0 / 6, c.ratio(), 1e-12);
        assertEquals(2, c.wins());
        assertEquals(1, c.ties());
        assertEquals(1, c.losses());
        // resample means are averages of 4 of {-0.2, 0, 0.1, 0.4}: never below -0.2 or above 0.4, and with 10,000
        // resamples the 2.5% and 97.5% points lie strictly inside (each extreme has probability 1/256)
        assertTrue(c.low() > -0.2 && c.low() < c.meanDiff());
        assertTrue(c.high() < 0.4 && c.high() > c.meanDiff());
    }

    @Test
    public void twoValuesGiveTheirRange() {
        // resample means of {0, 1} (n = 2) are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4: the 2.5% and 97.5% points
        // of 10,000 of them are 0 and 1
        double[] ci = PairedBootstrap.interval(new double[] {0, 1}, 10_000, PairedBootstrap.SEED);
        assertEquals(0, ci[0], 0);
        assertEquals(1, ci[1], 0);
    }

    @Test
    public void constantDifferencesHaveAPointInterval() {
        PairedBootstrap.Comparison c = PairedBootstrap.compare(new double[] {0.1, 0.2, 0.3}, new double[] {0.2, 0.3, 0.4});
        assertEquals(0.1, c.meanDiff(), 1e-12);
        assertEquals(0.1, c.low(), 1e-12);
        assertEquals(0.1, c.high(), 1e-12);
        assertEquals(3, c.wins());
        PairedBootstrap.Comparison same = PairedBootstrap.compare(new double[] {0.1, 0.2}, new double[] {0.1, 0.2});
        assertEquals(0, same.meanDiff(), 0);
        assertEquals(0, same.low(), 0);
        assertEquals(0, same.high(), 0);
        assertEquals(2, same.ties());
        assertEquals(1.0, same.ratio(), 0);
    }

    @Test
    public void matchesTheNormalApproximationOnALargeSample() {
        // differences -1 and +1, 50 of each: population sd 1, bootstrap se of the mean 1/sqrt(100) = 0.1, so the
        // interval is about 0 ± 1.96 * 0.1
        double[] diffs = new double[100];
        Arrays.setAll(diffs, i -> i % 2 == 0 ? -1 : 1);
        double[] ci = PairedBootstrap.interval(diffs, 10_000, PairedBootstrap.SEED);
        assertEquals(-0.196, ci[0], 0.02);
        assertEquals(0.196, ci[1], 0.02);
    }

    @Test
    public void intervalContainsTheMeanAndShrinksWithMoreQueries() {
        Random r = new Random(3);
        double[] small = new double[20];
        Arrays.setAll(small, i -> r.nextGaussian() * 0.2 + 0.05);
        double[] large = new double[80];
        Arrays.setAll(large, i -> small[i % 20]); // the same distribution, four times the queries
        double mean = Stats.mean(small);
        double[] a = PairedBootstrap.interval(small, 10_000, PairedBootstrap.SEED);
        double[] b = PairedBootstrap.interval(large, 10_000, PairedBootstrap.SEED);
        assertTrue(a[0] < mean && mean < a[1]);
        assertTrue(b[0] < mean && mean < b[1]);
        // width falls like 1/sqrt(n): about half
        double ratio = (b[1] - b[0]) / (a[1] - a[0]);
        assertTrue("width ratio " + ratio, ratio > 0.4 && ratio < 0.6);
    }

    @Test
    public void sameSeedSameIntervalOtherSeedOtherInterval() {
        double[] base = {0.1, 0.5, 0.3, 0.9, 0.2, 0.4};
        double[] other = {0.3, 0.4, 0.6, 0.9, 0.5, 0.1};
        assertEquals(PairedBootstrap.compare(base, other), PairedBootstrap.compare(base, other));
        // another seed draws other resamples (an interval of so few values may still come out the same)
        assertFalse(Arrays.equals(PairedBootstrap.resampledMeans(base, 100, new Random(1)),
            PairedBootstrap.resampledMeans(base, 100, new Random(2))));
    }

    @Test
    public void refusesUnpairedOrMissingValues() {
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.compare(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
            () -> PairedBootstrap.compare(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.compare(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.interval(new double[] {1}, 0, 1));
    }
}
