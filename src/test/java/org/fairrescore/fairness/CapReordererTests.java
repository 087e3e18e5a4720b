package org.fairrescore.fairness;

import org.junit.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

public class CapReordererTests {

    @Test
    public void noCapKeepsScoreOrder() {
        float[] scores = { 0.2f, 0.9f, 0.5f };
        Reordering r = CapReorderer.reorder(scores, new int[] { 1, 1, 1 }, ShopCap.NONE);
        assertArrayEquals(new int[] { 1, 2, 0 }, r.order());
        assertTrue(r.quotaMet());
        assertEquals(0, r.moved());
    }

    @Test
    public void defersSecondHitOfAShop() {
        // shop 7 holds the three best hits; at most 1 per 2 consecutive positions
        float[] scores = { 0.9f, 0.8f, 0.7f, 0.3f, 0.2f };
        int[] shops = { 7, 7, 7, 8, 9 };
        Reordering r = CapReorderer.reorder(scores, shops, new ShopCap(1, 2));
        assertArrayEquals(new int[] { 0, 3, 1, 4, 2 }, r.order());
        assertTrue(r.quotaMet());
        assertEquals(4, r.moved());
    }

    @Test
    public void looksAheadSoTheTailStaysWithinTheCap() {
        // Plain greedy would place C before A2 and end with A2 A3 adjacent; look-ahead finds A B A C A.
        float[] scores = { 10, 9, 8, 1, 0.5f };
        int[] shops = { 1, 2, 3, 1, 1 };
        Reordering r = CapReorderer.reorder(scores, shops, new ShopCap(1, 2));
        assertArrayEquals(new int[] { 0, 1, 3, 2, 4 }, r.order());
        assertTrue(r.quotaMet());
    }

    @Test
    public void infeasibleWindowKeepsTopCleanAndFlagsTheRest() {
        float[] scores = { 0.9f, 0.8f, 0.7f, 0.6f, 0.5f };
        int[] shops = { 1, 1, 1, 1, 2 };
        Reordering r = CapReorderer.reorder(scores, shops, new ShopCap(1, 2));
        assertFalse(r.quotaMet());
        assertArrayEquals(new int[] { 0, 4, 1, 2, 3 }, r.order());
        assertArrayEquals(new boolean[] { false, false, false, true, true }, r.violates());
    }

    @Test
    public void matchesBruteForceOnSmallWindows() {
        Random random = new Random(20261201L);
        for (int round = 0; round < 3000; round++) {
            int n = 1 + random.nextInt(7);
            int shops = 1 + random.nextInt(4);
            int w = 2 + random.nextInt(3);
            int limit = 1 + random.nextInt(w - 1);
            boolean ties = random.nextBoolean();
            float[] scores = new float[n];
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = ties ? random.nextInt(20) / 4f : i + random.nextFloat() / 2; // ties on purpose, or none
                groups[i] = random.nextInt(shops);
            }
            ShopCap cap = new ShopCap(limit, w);
            Reordering r = CapReorderer.reorder(scores, groups, cap);
            String where = "round " + round + " scores " + Arrays.toString(scores) + " groups " + Arrays.toString(groups) + " " + cap;

            assertPermutation(r.order(), n, where);
            assertShopOrderKept(r.order(), scores, groups, where);

            Best best = bruteForce(scores, groups, cap);
            assertEquals(where, best.feasible, r.quotaMet());
            if (best.feasible) {
                assertEquals(where, -1, firstBreak(r.order(), groups, cap));
                // Each position holds the best hit that still lets the rest of the window meet the cap:
                // the lexicographically greatest score sequence among all orderings that meet it.
                // (With tied scores several orderings share the best sequence prefix; ties are broken by input order.)
                if (ties == false) {
                    assertArrayEquals(where, best.scoreSequence, sequence(r.order(), scores), 0f);
                }
                assertTrue(where, dcg(r.order(), scores) <= best.dcg + 1e-9);
            } else {
                boolean[] expectedFlags = new boolean[n];
                for (int p = 0; p < n; p++) {
                    expectedFlags[p] = breaksAt(r.order(), groups, cap, p);
                }
                assertArrayEquals(where, expectedFlags, r.violates());
            }
        }
    }

    @Test
    public void largeWindowHoldsTheCapEverywhereWhenFeasible() {
        Random random = new Random(7L);
        for (int round = 0; round < 200; round++) {
            int n = 50 + random.nextInt(451);
            int shops = 20 + random.nextInt(100);
            float[] scores = new float[n];
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextFloat();
                groups[i] = (int) Math.floor(shops * Math.pow(random.nextDouble(), 2)); // skewed toward shop 0
            }
            ShopCap cap = new ShopCap(1 + random.nextInt(3), 5 + random.nextInt(10));
            Reordering r = CapReorderer.reorder(scores, groups, cap);
            assertPermutation(r.order(), n, "round " + round);
            assertShopOrderKept(r.order(), scores, groups, "round " + round);
            if (r.quotaMet()) {
                assertEquals(-1, firstBreak(r.order(), groups, cap));
            } else {
                int first = firstBreak(r.order(), groups, cap);
                assertTrue(first >= 0);
                assertTrue(r.violates()[first]);
            }
        }
    }

    static void assertPermutationOf(int[] order, int n, String where) {
        assertPermutation(order, n, where);
    }

    private static void assertPermutation(int[] order, int n, String where) {
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(where, i, sorted[i]);
        }
    }

    private static void assertShopOrderKept(int[] order, float[] scores, int[] groups, String where) {
        Map<Integer, Float> last = new HashMap<>();
        for (int i : order) {
            Float previous = last.put(groups[i], scores[i]);
            assertTrue(where, previous == null || previous >= scores[i]);
        }
    }

    static boolean breaksAt(int[] order, int[] groups, ShopCap cap, int p) {
        int shop = groups[order[p]];
        int count = 0;
        for (int q = Math.max(0, p - cap.window() + 1); q < p; q++) {
            if (groups[order[q]] == shop) {
                count++;
            }
        }
        return count >= cap.maxPerShop();
    }

    static int firstBreak(int[] order, int[] groups, ShopCap cap) {
        for (int p = 0; p < order.length; p++) {
            if (breaksAt(order, groups, cap, p)) {
                return p;
            }
        }
        return -1;
    }

    static double dcg(int[] order, float[] scores) {
        double sum = 0;
        for (int p = 0; p < order.length; p++) {
            sum += scores[order[p]] / (Math.log(p + 2) / Math.log(2));
        }
        return sum;
    }

    private record Best(boolean feasible, double dcg, float[] scoreSequence) {}

    private static float[] sequence(int[] order, float[] scores) {
        float[] seq = new float[order.length];
        for (int p = 0; p < order.length; p++) {
            seq[p] = scores[order[p]];
        }
        return seq;
    }

    private static int compareLex(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Float.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static Best bruteForce(float[] scores, int[] groups, ShopCap cap) {
        int n = scores.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double[] best = { Double.NEGATIVE_INFINITY };
        float[][] lex = { null };
        permute(perm, 0, scores, groups, cap, best, lex);
        return new Best(best[0] != Double.NEGATIVE_INFINITY, best[0], lex[0]);
    }

    private static void permute(int[] perm, int k, float[] scores, int[] groups, ShopCap cap, double[] best, float[][] lex) {
        if (k > 0 && breaksAt(perm, groups, cap, k - 1)) {
            return;
        }
        if (k == perm.length) {
            best[0] = Math.max(best[0], dcg(perm, scores));
            float[] seq = sequence(perm, scores);
            if (lex[0] == null || compareLex(seq, lex[0]) > 0) {
                lex[0] = seq;
            }
            return;
        }
        for (int i = k; i < perm.length; i++) {
            swap(perm, k, i);
            permute(perm, k + 1, scores, groups, cap, best, lex);
            swap(perm, k, i);
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
