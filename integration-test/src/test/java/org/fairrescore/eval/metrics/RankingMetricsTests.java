package org.fairrescore.eval.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;

/** NDCG, exposure, shop shares, distinct shops, Gini and AWRF against values worked out by hand. */
public class RankingMetricsTests {

    private static final double EPS = 1e-9;
    private static final double W2 = 1 / (Math.log(3) / Math.log(2)); // 0.6309297536
    private static final double W4 = 1 / (Math.log(5) / Math.log(2)); // 0.4306765581
    private static final double W5 = 1 / (Math.log(6) / Math.log(2)); // 0.3868528072

    @Test
    public void exposureWeightsAreTheDcgDiscount() {
        assertEquals(1.0, Exposure.weight(1), EPS);
        assertEquals(0.6309297536, Exposure.weight(2), 1e-10);
        assertEquals(0.5, Exposure.weight(3), EPS);
        assertEquals(1.0 / 3, Exposure.weight(7), EPS);
        // 1 + 0.63093 + 0.5 + 0.43068 + 0.38685
        assertEquals(2.9484591189, Exposure.total(5), 1e-9);
        assertEquals(4.5435593381, Exposure.total(10), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Exposure.weight(0));
    }

    @Test
    public void exposureByGroupSumsPositionsPerShopWithinK() {
        Map<String, Double> e = Exposure.byGroup(List.of("a", "b", "a", "c"), 3);
        assertEquals(List.of("a", "b"), List.copyOf(e.keySet()));
        assertEquals(1.5, e.get("a"), EPS);
        assertEquals(W2, e.get("b"), EPS);
    }

    @Test
    public void ndcgOfAHandWorkedRanking() {
        // ranked gains 0, 2, 1: DCG@3 = 2/log2(3) + 1/2 = 1.76186; ideal 2, 1, 1: 2 + 1/log2(3) + 1/2 = 3.13093
        double ndcg = Ndcg.at(3, new double[] {0, 2, 1}, new double[] {2, 1, 1, 0});
        assertEquals(0.5627272554, ndcg, 1e-9);
        // only the first position counts at k = 1: 0 of an ideal 2
        assertEquals(0.0, Ndcg.at(1, new double[] {0, 2, 1}, new double[] {2, 1, 1, 0}), EPS);
        // the ideal ranking scores 1
        assertEquals(1.0, Ndcg.at(10, new double[] {2, 1, 1}, new double[] {1, 2, 0, 1}), EPS);
    }

    @Test
    public void ndcgCountsJudgedItemsTheRankingMissed() {
        // one relevant item found at rank 1, a second (gain 1) never retrieved: 1 / (1 + 1/log2(3))
        assertEquals(1 / (1 + W2), Ndcg.at(10, new double[] {1, 0, 0}, new double[] {1, 1}), EPS);
        // a ranking shorter than k
        assertEquals(0.5 / (1 + W2), Ndcg.at(10, new double[] {0, 0, 1}, new double[] {1, 1}), EPS);
    }

    @Test
    public void ndcgIsUndefinedWithoutRelevantItemsAndRejectsNegativeGains() {
        assertTrue(Double.isNaN(Ndcg.at(10, new double[] {0, 0}, new double[] {0, 0})));
        assertThrows(IllegalArgumentException.class, () -> Ndcg.at(10, new double[] {-1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Ndcg.at(0, new double[] {1}, new double[] {1}));
    }

    @Test
    public void esciGainsGiveTheOfficialStyleNdcg() {
        // E, S, C, I at ranks 1-4 with ESCI gains 1, 0.1, 0.01, 0; ideal is the same order
        assertEquals(1.0, Ndcg.at(10, new double[] {1, 0.1, 0.01, 0}, new double[] {0, 0.01, 1, 0.1}), EPS);
        // S first, then E: (0.1 + 1/log2 3) / (1 + 0.1/log2 3)
        assertEquals((0.1 + W2) / (1 + 0.1 * W2), Ndcg.at(2, new double[] {0.1, 1}, new double[] {1, 0.1}), EPS);
    }

    @Test
    public void maxShopShareByCountAndByExposure() {
        List<String> shops = List.of("a", "a", "b", "a", "c");
        assertEquals(0.6, ShopShare.maxCountShare(shops, 5), EPS);
        // a holds positions 1, 2, 4: (1 + 0.63093 + 0.43068) / 2.94846
        assertEquals(0.6992148199, ShopShare.maxExposureShare(shops, 5), 1e-9);
        assertEquals(2.0 / 3, ShopShare.maxCountShare(shops, 3), EPS);
        assertEquals(0.7653606370, ShopShare.maxExposureShare(shops, 3), 1e-9);
        // k beyond the ranking uses what is there
        assertEquals(0.6, ShopShare.maxCountShare(shops, 10), EPS);
        assertEquals(1.0, ShopShare.maxExposureShare(List.of("x"), 10), EPS);
        assertTrue(Double.isNaN(ShopShare.maxCountShare(List.of(), 10)));
        assertTrue(Double.isNaN(ShopShare.maxExposureShare(List.of(), 10)));
    }

    @Test
    public void distinctShopsInTheTopK() {
        List<String> shops = List.of("a", "a", "b", "a", "c");
        assertEquals(3, ShopShare.distinct(shops, 5));
        assertEquals(1, ShopShare.distinct(shops, 2));
        assertEquals(3, ShopShare.distinct(shops, 10));
        assertEquals(0, ShopShare.distinct(List.of(), 10));
    }

    @Test
    public void giniOfHandWorkedDistributions() {
        assertEquals(0.0, Gini.of(new double[] {1, 1, 1, 1}), EPS);
        // one of three gets everything: (n - 1) / n
        assertEquals(2.0 / 3, Gini.of(new double[] {0, 1, 0}), EPS);
        assertEquals(0.5, Gini.of(new double[] {0, 1}), EPS);
        // 1, 2, 3, 4: sum of (2i - n - 1) x_i = -3 - 2 + 3 + 12 = 10, over n * sum = 40
        assertEquals(0.25, Gini.of(new double[] {4, 1, 3, 2}), EPS);
        // scale-free
        assertEquals(0.25, Gini.of(new double[] {40, 10, 30, 20}), EPS);
        assertEquals(0.0, Gini.of(new double[] {0, 0, 0}), EPS);
        assertTrue(Double.isNaN(Gini.of(new double[0])));
        assertThrows(IllegalArgumentException.class, () -> Gini.of(new double[] {1, -1}));
    }

    @Test
    public void awrfIsTheJensenShannonDistanceToAUniformTarget() {
        // exposure spread exactly as the target
        assertEquals(0.0, Awrf.distance(Map.of("a", 2.0, "b", 2.0), List.of("a", "b")), EPS);
        // all exposure on a shop outside the target: disjoint support
        assertEquals(1.0, Awrf.distance(Map.of("c", 1.0), List.of("a", "b")), EPS);
        // all on a, target a/b: m = (0.75, 0.25); KL(p||m) = log2(4/3) = 0.41504, KL(t||m) = 0.5 log2(2/3) + 0.5 = 0.20752
        assertEquals(0.3112781245, Awrf.distance(Map.of("a", 1.0), List.of("a", "b")), 1e-9);
        // a ranking a, b, c with target {a, b}: exposure (1, 0.63093, 0.5) / 2.13093, c outside the target
        Map<String, Double> abc = Exposure.byGroup(List.of("a", "b", "c"), 10);
        assertEquals(0.1367220125, Awrf.distance(abc, List.of("a", "b")), 1e-9);
        assertTrue(Double.isNaN(Awrf.distance(Map.of(), List.of("a"))));
        assertTrue(Double.isNaN(Awrf.distance(Map.of("a", 1.0), List.of())));
    }
}
