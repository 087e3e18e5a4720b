package org.fairrescore.eval.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

/** TVD, the Gini of exposure/merit, shares, label merit and the stream tally, against values worked out by hand. */
public class AmortizedTests {

    private static final double EPS = 1e-12;
    private static final double W2 = 1 / (Math.log(3) / Math.log(2)); // 0.6309297536
    private static final double W3 = 0.5;

    private static Map<String, Double> map(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    @Test
    public void tvdOfHandWorkedDistributions() {
        // exposure 3:1 over a, b; merit 1:1 -> shares .75/.25 vs .5/.5 -> (.25 + .25) / 2
        assertEquals(0.25, Amortized.tvd(map("a", 3, "b", 1), map("a", 1, "b", 1)), EPS);
        // scale does not matter, only shares
        assertEquals(0.25, Amortized.tvd(map("a", 30, "b", 10), map("a", 7, "b", 7)), EPS);
        // a shop missing on one side counts as 0 there: exposure a .5, b .5; merit a .5, c .5 -> (0 + .5 + .5) / 2
        assertEquals(0.5, Amortized.tvd(map("a", 1, "b", 1), map("a", 1, "c", 1)), EPS);
        // proportional is 0, disjoint is 1, and it is symmetric
        assertEquals(0.0, Amortized.tvd(map("a", 2, "b", 6), map("a", 1, "b", 3)), EPS);
        assertEquals(1.0, Amortized.tvd(map("a", 1), map("b", 1)), EPS);
        Map<String, Double> p = map("a", 5, "b", 2, "c", 1);
        Map<String, Double> q = map("a", 1, "b", 1, "d", 2);
        assertEquals(Amortized.tvd(p, q), Amortized.tvd(q, p), EPS);
        // p = .625/.25/.125/0, q = .25/.25/0/.5: (.375 + 0 + .125 + .5) / 2
        assertEquals(0.5, Amortized.tvd(p, q), EPS);
    }

    @Test
    public void tvdIsUndefinedWithoutMassAndRefusesNegatives() {
        assertTrue(Double.isNaN(Amortized.tvd(map(), map("a", 1))));
        assertTrue(Double.isNaN(Amortized.tvd(map("a", 1), map("a", 0))));
        assertThrows(IllegalArgumentException.class, () -> Amortized.tvd(map("a", -1, "b", 2), map("a", 1)));
        assertThrows(IllegalArgumentException.class, () -> Amortized.tvd(map("a", Double.NaN), map("a", 1)));
    }

    @Test
    public void ratioGiniOverShopsWithMerit() {
        // exposure exactly proportional to merit: every ratio 1, Gini 0
        assertEquals(0.0, Amortized.ratioGini(map("a", 2, "b", 4, "c", 6), map("a", 1, "b", 2, "c", 3)), EPS);
        // merit 1:1:1:1, all exposure on a: ratios 4, 0, 0, 0 -> Gini (n - 1) / n = 0.75
        assertEquals(0.75, Amortized.ratioGini(map("a", 1), map("a", 1, "b", 1, "c", 1, "d", 1)), EPS);
        // merit .5/.5, exposure .75/.25: ratios 1.5 and .5; sorted .5, 1.5: ((2-3)*.5 + (4-3)*1.5) / (2 * 2) = .25
        assertEquals(0.25, Amortized.ratioGini(map("a", 3, "b", 1), map("a", 1, "b", 1)), EPS);
        // a shop with exposure but no merit has no ratio (left out); the TVD counts it
        Map<String, Double> exposure = map("a", 3, "b", 1, "x", 4);
        Map<String, Double> merit = map("a", 1, "b", 1, "x", 0);
        // shares: a .375 / .5, b .125 / .5 -> ratios .75, .25: ((2-3)*.25 + (4-3)*.75) / (2 * 1) = .25
        assertEquals(0.25, Amortized.ratioGini(exposure, merit), EPS);
        assertTrue(Double.isNaN(Amortized.ratioGini(map(), merit)));
        assertTrue(Double.isNaN(Amortized.ratioGini(exposure, map())));
    }

    @Test
    public void sharesAndTheLargest() {
        Map<String, Double> e = map("a", 5, "b", 3, "c", 1, "d", 1);
        assertEquals(0.8, Amortized.share(e, Set.of("a", "b")), EPS);
        assertEquals(0.0, Amortized.share(e, Set.of("z")), EPS);
        // a shop named twice counts once
        assertEquals(0.5, Amortized.share(e, List.of("a", "a")), EPS);
        assertTrue(Double.isNaN(Amortized.share(map(), Set.of("a"))));
        // the largest three, ties broken by name
        assertEquals(List.of("a", "b", "c"), Amortized.largest(e, 3));
        assertEquals(List.of("a"), Amortized.largest(e, 1));
        assertEquals(List.of("a", "b", "c", "d"), Amortized.largest(e, 10));
    }

    @Test
    public void labelMeritAddsEachShopsGainsInTheWindow() {
        Map<String, Double> gains = map("p1", 2, "p2", 1, "p3", 0, "p5", 2);
        // p4 is unlabelled, p3 labelled irrelevant, p5 has no shop, p9 (gain 2 for the query) is not in the window
        gains.put("p9", 2.0);
        Map<String, Double> m = Amortized.labelMerit(List.of("p1", "p2", "p3", "p4", "p5", "p6"),
            java.util.Arrays.asList("s1", "s1", "s2", "s2", null, "s3"), gains);
        assertEquals(map("s1", 3), m);
        assertThrows(IllegalArgumentException.class,
            () -> Amortized.labelMerit(List.of("p1"), List.of("s1", "s2"), gains));
    }

    @Test
    public void tallyCountsTopKExposureMeritsAndNdcg() {
        StreamTally t = new StreamTally(3);
        // ranks 1..4: only the first 3 count; a hit without a shop credits nobody
        t.add(java.util.Arrays.asList("a", "b", "a", "c"), map("a", 0.6, "b", 0.4), map("a", 2), 0.5);
        t.add(java.util.Arrays.asList("b", null), map("a", 0.5, "b", 0.5), map("b", 1), Double.NaN);
        assertEquals(2, t.searches());
        assertEquals(map("a", 1 + W3, "b", W2 + 1), t.exposure());
        assertEquals(1.1, t.ownMerit().get("a"), EPS);
        assertEquals(0.9, t.ownMerit().get("b"), EPS);
        assertEquals(map("a", 2, "b", 1), t.labelMerit());
        StreamTally.Snapshot s = t.snapshot(new StreamTally.Groups(Set.of("a"), Set.of("a"), Set.of("b", "c")));
        double total = 1 + W3 + W2 + 1;
        assertEquals(2, s.searches());
        // exposure a 1.5 / 3.131, b 1.631 / 3.131; merit a .55, b .45
        assertEquals(Math.abs((1 + W3) / total - 0.55), s.tvdOwn(), 1e-12);
        assertEquals(Math.abs((1 + W3) / total - 2.0 / 3), s.tvdLabel(), 1e-12);
        assertEquals((1 + W3) / total, s.top3Share(), EPS);
        assertEquals(1.0, s.top3Exposed(), EPS); // fewer than 3 shops were shown
        assertEquals((1 + W3) / total, s.headShare(), EPS);
        assertEquals((W2 + 1) / total, s.tailShare(), EPS);
        // the search without a measurable NDCG is left out of the mean
        assertEquals(0.5, s.ndcg(), EPS);
        assertThrows(IllegalArgumentException.class, () -> new StreamTally(0));
    }

    @Test
    public void tallyGiniMatchesTheRatioGini() {
        StreamTally t = new StreamTally(10);
        t.add(List.of("a", "b", "c"), map("a", 0.2, "b", 0.3, "c", 0.5), map("a", 1, "c", 1), 1.0);
        StreamTally.Snapshot s = t.snapshot(new StreamTally.Groups(Set.of(), Set.of(), Set.of()));
        assertEquals(Amortized.ratioGini(t.exposure(), t.ownMerit()), s.giniOwn(), EPS);
        assertEquals(Amortized.ratioGini(t.exposure(), t.labelMerit()), s.giniLabel(), EPS);
        assertTrue(s.giniOwn() > 0);
        assertEquals(0.0, s.top3Share(), EPS);
    }
}
