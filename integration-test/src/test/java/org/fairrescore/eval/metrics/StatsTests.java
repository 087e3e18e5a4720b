package org.fairrescore.eval.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;

import org.junit.Test;

/** Confidence intervals, percentiles and the jackknife against textbook and hand-worked values. */
public class StatsTests {

    @Test
    public void studentTQuantilesMatchTheTables() {
        assertEquals(12.7062047362, StudentT.quantile(0.975, 1), 1e-8);
        assertEquals(4.3026527297, StudentT.quantile(0.975, 2), 1e-8);
        assertEquals(2.7764451052, StudentT.quantile(0.975, 4), 1e-8);
        assertEquals(2.2281388520, StudentT.quantile(0.975, 10), 1e-8);
        assertEquals(2.0422724563, StudentT.quantile(0.975, 30), 1e-8);
        assertEquals(1.9839715185, StudentT.quantile(0.975, 100), 1e-8);
        assertEquals(-2.2281388520, StudentT.quantile(0.025, 10), 1e-8);
        assertEquals(0.5, StudentT.cdf(0, 5), 1e-12);
        assertEquals(0.95, StudentT.cdf(2.0150483733, 5), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1, 5));
    }

    @Test
    public void lnGammaOfKnownValues() {
        assertEquals(0.0, StudentT.lnGamma(1), 1e-13);
        assertEquals(Math.log(24), StudentT.lnGamma(5), 1e-12);
        assertEquals(Math.log(Math.sqrt(Math.PI)), StudentT.lnGamma(0.5), 1e-12);
    }

    @Test
    public void meanWithATInterval() {
        // mean 3, sd 1.58114, se 0.70711, t(0.975, 4) = 2.77645: half-width 1.96324
        Estimate e = Stats.meanCi(new double[] {1, 2, 3, 4, 5});
        assertEquals(3.0, e.value(), 1e-12);
        assertEquals(3 - 1.9632431615, e.low(), 1e-9);
        assertEquals(3 + 1.9632431615, e.high(), 1e-9);
        assertEquals(5, e.n());
        assertEquals("3.000 ± 1.963", e.format(3));
    }

    @Test
    public void unmeasurableQueriesAreLeftOutOfTheMean() {
        Estimate e = Stats.meanCi(new double[] {1, Double.NaN, 3});
        assertEquals(2.0, e.value(), 1e-12);
        assertEquals(2, e.n());
        Estimate one = Stats.meanCi(new double[] {0.7});
        assertEquals(0.7, one.value(), 1e-12);
        assertTrue(Double.isNaN(one.low()));
        assertEquals("0.70", one.format(2));
        assertEquals("n/a", Stats.meanCi(new double[] {Double.NaN}).format(2));
    }

    @Test
    public void wilsonIntervalsOfProportions() {
        Estimate none = Stats.proportion(0, 10);
        assertEquals(0.0, none.value(), 1e-12);
        assertEquals(0.0, none.low(), 1e-12);
        assertEquals(0.2775327999, none.high(), 1e-9);
        Estimate seven = Stats.proportion(7, 10);
        assertEquals(0.3967781475, seven.low(), 1e-9);
        assertEquals(0.8922087326, seven.high(), 1e-9);
        assertEquals("0.70 [0.40, 0.89]", seven.format(2));
        assertEquals(0.7224672001, Stats.proportion(10, 10).low(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Stats.proportion(3, 2));
    }

    @Test
    public void nearestRankPercentiles() {
        double[] v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertEquals(5, Stats.percentile(v, 50), 0);
        assertEquals(10, Stats.percentile(v, 99), 0);
        assertEquals(1, Stats.percentile(v, 10), 0);
        assertEquals(2, Stats.percentile(v, 11), 0);
        assertEquals(7, Stats.percentile(new double[] {7}, 99), 0);
        assertTrue(Double.isNaN(Stats.percentile(new double[0], 50)));
    }

    @Test
    public void jackknifeOfTheMeanIsTheTInterval() {
        double[] values = {0.1, 0.4, 0.35, 0.8, 0.55, 0.2, 0.9, 0.6};
        Estimate j = Stats.jackknife(values.length, idx -> Arrays.stream(idx).mapToDouble(i -> values[i]).average()
            .orElseThrow());
        Estimate t = Stats.meanCi(values);
        assertEquals(t.value(), j.value(), 1e-12);
        assertEquals(t.low(), j.low(), 1e-12);
        assertEquals(t.high(), j.high(), 1e-12);
    }

    @Test
    public void jackknifeOfAHandWorkedMaximum() {
        // max of {1, 2, 4} = 4; leaving one out gives 4, 4, 2 (mean 10/3); sum of squares 8/3;
        // se = sqrt(2/3 * 8/3) = 4/3; t(0.975, 2) = 4.30265: half-width 5.73687
        double[] values = {1, 2, 4};
        Estimate j = Stats.jackknife(3, idx -> Arrays.stream(idx).mapToDouble(i -> values[i]).max().orElseThrow());
        assertEquals(4.0, j.value(), 0);
        assertEquals(4 - 5.7368703063, j.low(), 1e-9);
        assertEquals(4 + 5.7368703063, j.high(), 1e-9);
        Estimate one = Stats.jackknife(1, idx -> 7.0);
        assertEquals(7.0, one.value(), 0);
        assertTrue(Double.isNaN(one.high()));
    }
}
