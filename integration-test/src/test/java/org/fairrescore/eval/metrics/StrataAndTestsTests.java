package org.fairrescore.eval.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

/** The sign test, capped recall, the Pareto frontier and the strata against hand-computed values. */
public class StrataAndTestsTests {

    @Test
    public void signTestIsTheExactTwoSidedBinomial() {
        // n = 10, P(X <= 2) = (C(10,0) + C(10,1) + C(10,2)) / 2^10 = (1 + 10 + 45) / 1024; two-sided: twice that
        assertEquals(2 * 56.0 / 1024, SignTest.pValue(8, 2), 1e-12);
        assertEquals(2 * 56.0 / 1024, SignTest.pValue(2, 8), 1e-12);
        // n = 6, all one way: 2 / 64
        assertEquals(2.0 / 64, SignTest.pValue(0, 6), 1e-12);
        // n = 7, 1 against 6: 2 (1 + 7) / 128
        assertEquals(16.0 / 128, SignTest.pValue(6, 1), 1e-12);
        // balanced: capped at 1; no untied query: 1
        assertEquals(1, SignTest.pValue(5, 5), 0);
        assertEquals(1, SignTest.pValue(0, 0), 0);
        // n = 20, 15 against 5: P(X <= 5) = (1 + 20 + 190 + 1140 + 4845 + 15504) / 2^20 = 21700 / 1048576
        assertEquals(2 * 21700.0 / 1048576, SignTest.pValue(15, 5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SignTest.pValue(-1, 2));
    }

    @Test
    public void cappedRecallDividesByTheSmallerOfKAndTheRelevant() {
        List<String> ranked = List.of("a", "b", "c", "d");
        Set<String> relevant = Set.of("b", "d", "x");
        assertEquals(1 / 2.0, Recall.cappedAt(2, ranked, relevant), 1e-12); // b of min(2, 3)
        assertEquals(2 / 3.0, Recall.cappedAt(4, ranked, relevant), 1e-12); // b, d of min(4, 3)
        assertEquals(1, Recall.cappedAt(10, ranked, Set.of("a")), 0);
        assertTrue(Double.isNaN(Recall.cappedAt(10, ranked, Set.of())));
    }

    @Test
    public void paretoFrontierKeepsUndominatedPoints() {
        // x = largest shop's share (lower is better), y = NDCG (higher is better)
        double[] share = {0.5, 0.3, 0.4, 0.3, 0.2, Double.NaN};
        double[] ndcg = {0.8, 0.7, 0.6, 0.7, 0.5, 0.9};
        // C (0.4, 0.6) is dominated by B (0.3, 0.7); B and D are equal and both stay; the NaN point never counts
        assertEquals(List.of(0, 1, 3, 4), Pareto.frontier(share, ndcg, false, true));
        // x = long-tail share (higher is better): (0.5, 0.8) dominates every other point
        assertEquals(List.of(0), Pareto.frontier(share, ndcg, true, true));
    }

    @Test
    public void thirdsByValueLargestFirst() {
        // n = 5: ceil(5/3) = 2 head, ceil(3/2) = 2 torso, 1 tail; order 9, 5, 3, 3, 1 (equal values by input order)
        assertArrayEquals(new String[] {"head", "tail", "torso", "torso", "head"},
            Strata.thirds(new double[] {5, 1, 3, 3, 9}, Strata.QUERY_STRATA));
        // n = 20: 7, 7, 6
        double[] twenty = new double[20];
        for (int i = 0; i < 20; i++) {
            twenty[i] = i;
        }
        String[] s = Strata.thirds(twenty, Strata.QUERY_STRATA);
        assertEquals("tail", s[0]);
        assertEquals("tail", s[5]);
        assertEquals("torso", s[6]);
        assertEquals("torso", s[12]);
        assertEquals("head", s[13]);
    }

    @Test
    public void shopTiersByCatalogSize() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("a", 50);
        sizes.put("b", 30);
        sizes.put("c", 10);
        sizes.put("d", 5);
        sizes.put("e", 5);
        // before a: 0 (head); before b: 50 of 100 (past a third, under two: mid); before c: 80 (tail)
        assertEquals(Map.of("a", "head", "b", "mid", "c", "tail", "d", "tail", "e", "tail"), Strata.shopTiers(sizes));
        Map<String, Integer> even = new LinkedHashMap<>();
        for (String shop : List.of("a", "b", "c", "d", "e")) {
            even.put(shop, 20);
        }
        // before: 0, 20 (head: under 33.3), 40, 60 (mid: under 66.7), 80 (tail)
        assertEquals(Map.of("a", "head", "b", "head", "c", "mid", "d", "mid", "e", "tail"), Strata.shopTiers(even));
    }

    @Test
    public void poststratifiedAndTrafficWeightedMeans() {
        double[] values = {1, 0.5, 0, Double.NaN};
        String[] strata = {"head", "head", "tail", "torso"};
        double[] traffic = {0.4, 0.2, 0.1, 0.3};
        assertEquals(0.75, Strata.mean(values, strata, "head"), 1e-12);
        assertTrue(Double.isNaN(Strata.mean(values, strata, "torso")));
        assertEquals(0.6, Strata.weight(traffic, strata, "head"), 1e-12);
        // head: mean 0.75, weight 0.6; tail: mean 0, weight 0.1; torso has no value: (0.45 + 0) / 0.7
        assertEquals(0.45 / 0.7, Strata.poststratified(values, strata, traffic, Strata.QUERY_STRATA), 1e-12);
        // per query: (0.4 * 1 + 0.2 * 0.5 + 0.1 * 0) / 0.7
        assertEquals(0.5 / 0.7, Strata.weightedMean(values, traffic), 1e-12);
        assertTrue(Double.isNaN(Strata.weightedMean(new double[] {Double.NaN}, new double[] {1})));
    }
}
