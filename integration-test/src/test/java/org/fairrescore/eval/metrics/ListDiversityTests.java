package org.fairrescore.eval.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Test;

/** The diversity metrics and the bootstrap interval of a ratio against hand-computed values. */
public class ListDiversityTests {

    /** A unit vector at {@code degrees} from the x axis. */
    private static float[] at(double degrees) {
        double r = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(r), (float) Math.sin(r)};
    }

    @Test
    public void cosineNormalisesAndRefusesWhatHasNoDirection() {
        assertEquals(1, ListDiversity.cosine(new float[] {3, 0}, new float[] {0.5f, 0}), 1e-12);
        assertEquals(0, ListDiversity.cosine(new float[] {1, 0}, new float[] {0, 2}), 1e-12);
        assertEquals(-1, ListDiversity.cosine(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
        // (1, 2, 2) . (2, 0, 1) = 4; norms 3 and sqrt(5)
        assertEquals(4 / (3 * Math.sqrt(5)), ListDiversity.cosine(new float[] {1, 2, 2}, new float[] {2, 0, 1}), 1e-7);
        assertThrows(IllegalArgumentException.class,
            () -> ListDiversity.cosine(new float[] {0, 0}, new float[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> ListDiversity.cosine(new float[] {1}, new float[] {1, 0}));
    }

    @Test
    public void intraListSimilarityIsTheMeanOverUnorderedPairs() {
        // x, y and their diagonal (not unit length: the metric normalises): cosines 0, 1/sqrt2, 1/sqrt2
        List<float[]> three = List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {2, 2});
        assertEquals(Math.sqrt(2) / 3, ListDiversity.intraListSimilarity(three), 1e-7);
        // four copies of one direction: every pair 1
        List<float[]> same = List.of(at(10), at(10), new float[] {5 * at(10)[0], 5 * at(10)[1]}, at(10));
        assertEquals(1, ListDiversity.intraListSimilarity(same), 1e-6);
        // 0, 90 and 180 degrees: pairs 0, -1, 0
        assertEquals(-1.0 / 3, ListDiversity.intraListSimilarity(List.of(at(0), at(90), at(180))), 1e-6);
        // the order does not matter
        assertEquals(ListDiversity.intraListSimilarity(three),
            ListDiversity.intraListSimilarity(List.of(three.get(2), three.get(0), three.get(1))), 1e-12);
        // no pair, no similarity
        assertTrue(Double.isNaN(ListDiversity.intraListSimilarity(List.of(at(0)))));
        assertTrue(Double.isNaN(ListDiversity.intraListSimilarity(List.of())));
    }

    @Test
    public void distinctCategoriesCountAnUncategorisedHitAsItsOwn() {
        assertEquals(4, ListDiversity.distinctCategories(Arrays.asList("Sofas", "Beds", "Sofas", null, null)));
        assertEquals(1, ListDiversity.distinctCategories(List.of("footwear", "footwear", "footwear")));
        assertEquals(0, ListDiversity.distinctCategories(List.of()));
    }

    @Test
    public void nearDuplicatesAreHitsCloseToAHigherHit() {
        // rank 1: 0 degrees; rank 2: 10 degrees (cos 0.985 to rank 1: a duplicate); rank 3: 90 degrees (cos 0.17 and
        // 0 to the hits above); rank 4: 0 degrees again, scaled (cos 1 to rank 1); rank 5: 70 degrees (cos 0.94 to
        // rank 3, just below 0.95, and 0.34 / 0.5 to the others) -> 2 of 5
        List<float[]> ranked = List.of(at(0), at(10), at(90), new float[] {4, 0}, at(70));
        assertEquals(0.4, ListDiversity.nearDuplicateRate(ranked, 0.95), 1e-12);
        // a looser threshold takes rank 5 too (cos(20 degrees) = 0.9397)
        assertEquals(0.6, ListDiversity.nearDuplicateRate(ranked, 0.93), 1e-12);
        // only hits above count: of the pair at 0 and 5 degrees only the lower one is the duplicate (45 degrees is
        // 40 from 5, cos 0.77) -> 1 of 4
        assertEquals(0.25, ListDiversity.nearDuplicateRate(List.of(at(90), at(0), at(5), at(45)), 0.95), 1e-12);
        assertEquals(0, ListDiversity.nearDuplicateRate(List.of(at(0)), 0.95), 0);
        // n copies: all but the first
        assertEquals(0.9, ListDiversity.nearDuplicateRate(java.util.Collections.nCopies(10, at(33)), 0.95), 1e-12);
        assertTrue(Double.isNaN(ListDiversity.nearDuplicateRate(List.of(), 0.95)));
    }

    @Test
    public void ratioIntervalOfAHandWorkedDraw() {
        // Random(1).nextInt(3) draws 0, 1, 1, then 0, 2, 1 (see PairedBootstrapTests): with base {1, 2, 4} and other
        // {2, 2, 2} the resampled ratios are 6 / 5 (base 1 + 2 + 2) and 6 / 7 (base 1 + 4 + 2)
        double[] ratios = PairedBootstrap.resampledRatios(new double[] {1, 2, 4}, new double[] {2, 2, 2}, 2,
            new Random(1));
        assertArrayEquals(new double[] {6.0 / 5, 6.0 / 7}, ratios, 1e-12);
        // a constant ratio has a degenerate interval at that ratio
        double[] base = {0.2, 0.5, 0.9, 0.4, 0.7};
        double[] other = Arrays.stream(base).map(x -> 0.9 * x).toArray();
        double[] ci = PairedBootstrap.ratioInterval(base, other);
        assertEquals(0.9, ci[0], 1e-12);
        assertEquals(0.9, ci[1], 1e-12);
        // otherwise the interval lies within the smallest and largest per-query ratio and holds the ratio of means
        double[] mixed = {0.1, 0.5, 0.9, 0.2, 0.9};
        double[] m = PairedBootstrap.ratioInterval(base, mixed);
        double ofMeans = Stats.mean(mixed) / Stats.mean(base);
        assertTrue(Arrays.toString(m), m[0] < ofMeans && ofMeans < m[1]);
        // (a resample's ratio is a weighted mean of the per-query ratios 0.5, 1, 1, 0.5 and 0.9 / 0.7)
        assertTrue(Arrays.toString(m), m[0] >= 0.5 && m[1] <= 0.9 / 0.7 + 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.ratioInterval(new double[] {0, 0},
            new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.ratioInterval(new double[] {1},
            new double[] {1, 1}));
    }
}
