package org.fairrescore.eval.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

/** The quota checks and the exact feasibility search, on rankings worked out by hand and against brute force. */
public class QuotaTests {

    static List<Slot> shops(String... shops) {
        List<Slot> out = new ArrayList<>();
        for (String s : shops) {
            out.add(new Slot(s, false));
        }
        return out;
    }

    static List<Slot> marks(String marks) {
        List<Slot> out = new ArrayList<>();
        for (int i = 0; i < marks.length(); i++) {
            out.add(new Slot("s" + i, marks.charAt(i) == 'P'));
        }
        return out;
    }

    static List<Slot> repeat(String shop, int n, boolean prot) {
        List<Slot> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Slot(shop, prot));
        }
        return out;
    }

    // ---------------------------------------------------------------- cap

    @Test
    public void capLooksAtEverySlidingWindow() {
        Quota cap = new Quota.Cap(2, 3);
        assertTrue(cap.holds(shops("a", "a", "b", "a"), 10));
        // a, a, b, a, a: every three consecutive hold at most two a's although a has four of five
        assertTrue(cap.holds(shops("a", "a", "b", "a", "a"), 10));
        assertFalse(cap.holds(shops("a", "a", "a"), 10));
        assertFalse(cap.holds(shops("b", "a", "a", "c", "a", "a", "a"), 10));
        // the violation at position 7 lies outside the top 6
        assertTrue(cap.holds(shops("b", "a", "a", "c", "a", "a", "a"), 6));
        assertTrue(new Quota.Cap(1, 2).holds(shops("a", "b", "a", "b"), 10));
        assertFalse(new Quota.Cap(1, 2).holds(shops("a", "b", "b"), 10));
        assertThrows(IllegalArgumentException.class, () -> new Quota.Cap(0, 10));
    }

    // ---------------------------------------------------------------- share

    @Test
    public void shareChecksEveryPrefixFromTheFirstConstrainedOne() {
        Quota share = new Quota.Share(0.35, 5);
        // five distinct shops: the largest share of the 5-prefix is position 1's, 1 / 2.94846 = 0.339
        assertTrue(share.holds(shops("a", "b", "c", "d", "e"), 10));
        // a at 1 and 5: (1 + 0.38685) / 2.94846 = 0.470
        assertFalse(share.holds(shops("a", "b", "c", "d", "a"), 10));
        // a at 1 and 2 breaks the 5-prefix (0.553) but no prefix shorter than 5 is constrained
        assertFalse(share.holds(shops("a", "a", "b", "c", "d"), 10));
        assertTrue(share.holds(shops("a", "a", "b", "c"), 10));
        // below position 1's own share of a 5-prefix, no ranking can pass
        assertFalse(new Quota.Share(0.3, 5).holds(shops("a", "b", "c", "d", "e"), 10));
        assertTrue(new Quota.Share(0.34, 5).holds(shops("a", "b", "c", "d", "e"), 10));
        assertThrows(IllegalArgumentException.class, () -> new Quota.Share(0, 5));
        assertThrows(IllegalArgumentException.class, () -> new Quota.Share(0.5, 0));
    }

    // ---------------------------------------------------------------- fair_topk

    @Test
    public void fairTopKCountsProtectedHitsInEveryPrefix() {
        Quota fair = new Quota.FairTopK(new int[] {0, 0, 1, 1, 2});
        assertTrue(fair.holds(marks("UUPUP"), 10));
        assertFalse(fair.holds(marks("UUUPP"), 10)); // the top 3 need one protected hit
        assertFalse(fair.holds(marks("PUUUU"), 10)); // the top 5 need two
        assertTrue(fair.holds(marks("PUUUU"), 4));
        assertTrue(fair.holds(marks("PP"), 10));
        assertFalse(fair.readsShops());
    }

    // ---------------------------------------------------------------- feasibility

    @Test
    public void capFeasibilityCountsWhatEachShopMayContribute() {
        Quota cap = new Quota.Cap(2, 10);
        List<Slot> window = new ArrayList<>(repeat("a", 8, false));
        window.addAll(repeat("b", 2, false));
        // a and b may fill 2 + 2 of 10 positions
        assertEquals(Feasibility.Verdict.INFEASIBLE, Feasibility.check(cap, window, 10));
        window.addAll(repeat("c", 2, false));
        window.addAll(repeat("d", 2, false));
        window.addAll(repeat("e", 3, false));
        assertEquals(Feasibility.Verdict.FEASIBLE, Feasibility.check(cap, window, 10));
        // a short window is judged on the positions it has
        assertEquals(Feasibility.Verdict.FEASIBLE, Feasibility.check(cap, shops("a", "a", "b"), 10));
        assertEquals(Feasibility.Verdict.INFEASIBLE, Feasibility.check(cap, shops("a", "a", "a"), 10));
    }

    @Test
    public void shareFeasibility() {
        List<Slot> ten = shops("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertEquals(Feasibility.Verdict.FEASIBLE, Feasibility.check(new Quota.Share(0.35, 5), ten, 10));
        // position 1 alone holds 0.339 of the 5-prefix
        assertEquals(Feasibility.Verdict.INFEASIBLE, Feasibility.check(new Quota.Share(0.3, 5), ten, 10));
        // two shops: one of them holds at least half of every prefix
        List<Slot> two = new ArrayList<>(repeat("a", 10, false));
        two.addAll(repeat("b", 10, false));
        assertEquals(Feasibility.Verdict.INFEASIBLE, Feasibility.check(new Quota.Share(0.45, 5), two, 10));
        assertEquals(Feasibility.Verdict.FEASIBLE, Feasibility.check(new Quota.Share(0.6, 5), two, 10));
    }

    @Test
    public void fairTopKFeasibilityNeedsEnoughProtectedHits() {
        Quota fair = new Quota.FairTopK(new int[] {0, 0, 1, 1, 2});
        List<Slot> window = new ArrayList<>(repeat("big", 10, false));
        window.add(new Slot("tail-1", true));
        assertEquals(Feasibility.Verdict.INFEASIBLE, Feasibility.check(fair, window, 5));
        window.add(new Slot("tail-2", true));
        assertEquals(Feasibility.Verdict.FEASIBLE, Feasibility.check(fair, window, 5));
    }

    @Test
    public void aSearchOverItsBudgetSaysSo() {
        List<Slot> ten = shops("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertEquals(Feasibility.Verdict.UNDETERMINED, Feasibility.check(new Quota.Cap(1, 10), ten, 10, 3));
        assertEquals(Feasibility.Verdict.FEASIBLE, Feasibility.check(new Quota.Cap(1, 10), ten, 10, 100));
    }

    /** The symmetry-reduced search agrees with trying every arrangement, on small random windows. */
    @Test
    public void feasibilityAgreesWithBruteForce() {
        Random random = new Random(42);
        int checked = 0;
        int infeasible = 0;
        for (int trial = 0; trial < 400; trial++) {
            int shopCount = 1 + random.nextInt(4);
            List<Slot> window = new ArrayList<>();
            for (int s = 0; s < shopCount; s++) {
                boolean prot = random.nextInt(3) == 0;
                window.addAll(repeat("s" + s, 1 + random.nextInt(3), prot));
            }
            int k = 1 + random.nextInt(6);
            Quota quota = switch (trial % 3) {
                case 0 -> new Quota.Cap(1 + random.nextInt(2), 2 + random.nextInt(3));
                case 1 -> new Quota.Share(0.35 + 0.3 * random.nextDouble(), 1 + random.nextInt(4));
                default -> {
                    int[] m = new int[6];
                    for (int i = 1; i < 6; i++) {
                        m[i] = Math.min(i + 1, m[i - 1] + (random.nextInt(3) == 0 ? 1 : 0));
                    }
                    yield new Quota.FairTopK(m);
                }
            };
            boolean brute = bruteForce(quota, window, new ArrayList<>(), new boolean[window.size()],
                Math.min(k, window.size()));
            Feasibility.Verdict verdict = Feasibility.check(quota, window, k);
            assertEquals(quota + " on " + window + " k=" + k,
                brute ? Feasibility.Verdict.FEASIBLE : Feasibility.Verdict.INFEASIBLE, verdict);
            checked++;
            infeasible += brute ? 0 : 1;
        }
        assertEquals(400, checked);
        assertTrue("both outcomes are exercised: " + infeasible, infeasible > 40 && infeasible < 360);
    }

    private static boolean bruteForce(Quota quota, List<Slot> window, List<Slot> prefix, boolean[] used, int length) {
        if (prefix.size() == length) {
            return true;
        }
        for (int i = 0; i < window.size(); i++) {
            if (used[i]) {
                continue;
            }
            used[i] = true;
            prefix.add(window.get(i));
            boolean ok = quota.endsOk(prefix) && bruteForce(quota, window, prefix, used, length);
            prefix.remove(prefix.size() - 1);
            used[i] = false;
            if (ok) {
                return true;
            }
        }
        return false;
    }
}
