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
        float[] scores = {0.2f, 0.9f, 0.5f};
        Reordering r = CapReorderer.reorder(scores, new int[] {1, 1, 1}, ShopCap.NONE);
        assertArrayEquals(new int[] {1, 2, 0}, r.order());
        assertTrue(r.quotaMet());
        assertEquals(0, r.moved());
    }

    @Test
    public void defersSecondHitOfAShop() {
        // shop 7 holds the three best hits; at most 1 per 2 consecutive positions
        float[] scores = {0.9f, 0.8f, 0.7f, 0.3f, 0.2f};
        int[] shops = {7, 7, 7, 8, 9};
        Reordering r = CapReorderer.reorder(scores, shops, new ShopCap(1, 2));
        assertArrayEquals(new int[] {0, 3, 1, 4, 2}, r.order());
        assertTrue(r.quotaMet());
        assertEquals(4, r.moved());
    }

    @Test
    public void looksAheadSoTheTailStaysWithinTheCap() {
        // Plain greedy would place C before A2 and end with A2 A3 adjacent; look-ahead finds A B A C A.
        float[] scores = {10, 9, 8, 1, 0.5f};
        int[] shops = {1, 2, 3, 1, 1};
        Reordering r = CapReorderer.reorder(scores, shops, new ShopCap(1, 2));
        assertArrayEquals(new int[] {0, 1, 3, 2, 4}, r.order());
        assertTrue(r.quotaMet());
    }

    @Test
    public void infeasibleWindowKeepsTopCleanAndFlagsTheRest() {
        float[] scores = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f};
        int[] shops = {1, 1, 1, 1, 2};
        Reordering r = CapReorderer.reorder(scores, shops, new ShopCap(1, 2));
        assertFalse(r.quotaMet());
        assertArrayEquals(new int[] {0, 4, 1, 2, 3}, r.order());
        assertArrayEquals(new boolean[] {false, false, false, true, true}, r.violates());
    }

    @Test
    public void prefersABetterDcgOverTheLexicographicOrder() {
        // cap 1 in 2; shop A: 10, 1, 1; shop B: 9, 4; shop C: 2. The lexicographic best is A B C A B A
        // (10 9 2 1 4 1): C's 2 beats A's 1 at the third position. Spending the third position on A instead lets B's
        // 4 rise to the fourth: A B A B C A (10 9 1 4 2 1) has DCG 0.5 + 1.723 + 0.774 = 2.996 from the third
        // position on, against 1 + 0.431 + 1.547 = 2.978.
        float[] scores = {1, 4, 1, 10, 9, 2};
        int[] shops = {0, 1, 0, 0, 1, 2};
        ShopCap cap = new ShopCap(1, 2);
        DcgSearch.Outcome greedy = CapReorderer.solve(scores, shops, cap, 0);
        assertArrayEquals(new int[] {3, 4, 5, 0, 1, 2}, greedy.reordering().order());
        DcgSearch.Outcome best = CapReorderer.solve(scores, shops, cap);
        assertArrayEquals(new int[] {3, 4, 0, 1, 5, 2}, best.reordering().order());
        assertTrue(best.dcgOptimal());
        assertTrue(best.reordering().quotaMet());
        assertTrue(
                dcg(best.reordering().order(), scores) > dcg(greedy.reordering().order(), scores));
    }

    /** The greedy incumbent (search budget 0) is the lexicographically best ordering that meets the cap. */
    @Test
    public void greedyIsTheLexicographicallyBestFeasibleOrdering() {
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
            Reordering r = CapReorderer.solve(scores, groups, cap, 0).reordering();
            String where = "round " + round + " scores " + Arrays.toString(scores) + " groups "
                    + Arrays.toString(groups) + " " + cap;

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
            } else {
                assertInfeasibleFallback(r, groups, cap, where);
            }
        }
    }

    /**
     * Against brute force over every permutation (n <= 8): the result meets the cap whenever some ordering does, has
     * the best DCG among the orderings that meet it, is proven so, and leaves the lexicographic order only for a
     * strictly better DCG. Distinct, tie-heavy and negative scores; 1 to 6 shops; every cap shape for windows 2..5.
     */
    @Test
    public void hasTheBestDcgOnSmallWindows() {
        Random random = new Random(4_2026L);
        int feasible = 0;
        int beatLexicographic = 0;
        int rounds = 6000;
        for (int round = 0; round < rounds; round++) {
            int n = 1 + random.nextInt(8);
            int shops = 1 + random.nextInt(random.nextBoolean() ? 3 : 6);
            int w = 2 + random.nextInt(4);
            int limit = 1 + random.nextInt(w - 1);
            int kind = random.nextInt(3);
            float[] scores = new float[n];
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = switch (kind) {
                    case 0 -> random.nextFloat(); // distinct (almost surely)
                    case 1 -> random.nextInt(6) / 4f; // many ties
                    default -> (random.nextInt(9) - 4) / 2f; // ties, zeros and negative scores
                };
                groups[i] = random.nextInt(shops) * 3 - 4; // arbitrary shop ids
            }
            ShopCap cap = new ShopCap(limit, w);
            DcgSearch.Outcome outcome = CapReorderer.solve(scores, groups, cap);
            Reordering r = outcome.reordering();
            String where = "round " + round + " scores " + Arrays.toString(scores) + " groups "
                    + Arrays.toString(groups) + " " + cap;
            assertPermutation(r.order(), n, where);
            assertShopOrderKept(r.order(), scores, groups, where);

            Best best = bruteForce(scores, groups, cap);
            assertEquals(where, best.feasible, r.quotaMet());
            if (best.feasible == false) {
                assertFalse(where, outcome.dcgOptimal());
                assertInfeasibleFallback(r, groups, cap, where);
                continue;
            }
            feasible++;
            assertEquals(where, -1, firstBreak(r.order(), groups, cap));
            assertFalse(where, anyTrue(r.violates()));
            assertTrue(where, outcome.dcgOptimal());
            double tolerance = 1e-7 * scale(scores);
            double got = dcg(r.order(), scores);
            assertTrue(where + ": dcg " + got + " < best " + best.dcg, got >= best.dcg - tolerance);
            double lexicographic = dcg(best.scoreSequence);
            if (Arrays.equals(sequence(r.order(), scores), best.scoreSequence) == false) {
                // left the lexicographic order: only for a DCG better beyond the tolerance
                assertTrue(where, got > lexicographic + DcgSearch.TOLERANCE * scale(scores));
                beatLexicographic++;
            }
        }
        assertTrue("feasible windows: " + feasible, feasible > rounds / 2);
        assertTrue(
                "windows where the DCG optimum is not the lexicographic order: " + beatLexicographic,
                beatLexicographic > 10);
    }

    /**
     * Windows of 9 to 16 hits from at most 4 shops, against an exact dynamic program over (hits left per shop, the
     * last w - 1 shops): whenever the search claims optimality the DCG is the optimum, the cap holds whenever it can,
     * and the result is never worse than the greedy incumbent.
     */
    @Test
    public void provenResultsMatchAnExactDynamicProgramOnMidSizedWindows() {
        Random random = new Random(99L);
        int feasible = 0;
        int proven = 0;
        for (int round = 0; round < 600; round++) {
            int n = 9 + random.nextInt(8);
            int shops = 2 + random.nextInt(3);
            int w = 2 + random.nextInt(4);
            int limit = 1 + random.nextInt(w - 1);
            boolean ties = random.nextBoolean();
            float[] scores = new float[n];
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = ties ? random.nextInt(8) / 2f : random.nextFloat();
                groups[i] = (int) Math.floor(shops * Math.pow(random.nextDouble(), 1.5));
            }
            ShopCap cap = new ShopCap(limit, w);
            DcgSearch.Outcome outcome = CapReorderer.solve(scores, groups, cap);
            Reordering r = outcome.reordering();
            String where = "round " + round + " scores " + Arrays.toString(scores) + " groups "
                    + Arrays.toString(groups) + " " + cap;
            assertPermutation(r.order(), n, where);
            assertShopOrderKept(r.order(), scores, groups, where);
            double optimum = dynamicProgram(scores, groups, cap);
            assertEquals(where, optimum != Double.NEGATIVE_INFINITY, r.quotaMet());
            if (r.quotaMet() == false) {
                assertInfeasibleFallback(r, groups, cap, where);
                continue;
            }
            feasible++;
            assertEquals(where, -1, firstBreak(r.order(), groups, cap));
            double tolerance = 1e-7 * scale(scores);
            double got = dcg(r.order(), scores);
            assertTrue(where, got <= optimum + tolerance);
            double greedy =
                    dcg(CapReorderer.solve(scores, groups, cap, 0).reordering().order(), scores);
            assertTrue(where, got >= greedy - tolerance);
            if (outcome.dcgOptimal()) {
                proven++;
                assertTrue(where + ": dcg " + got + " < optimum " + optimum, got >= optimum - tolerance);
            }
        }
        assertTrue("feasible " + feasible, feasible > 200);
        assertTrue("proven " + proven + " of " + feasible, proven > feasible * 0.8);
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
                Reordering greedy = CapReorderer.solve(scores, groups, cap, 0).reordering();
                assertTrue(
                        "round " + round, dcg(r.order(), scores) >= dcg(greedy.order(), scores) - 1e-7 * scale(scores));
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

    private static void assertInfeasibleFallback(Reordering r, int[] groups, ShopCap cap, String where) {
        boolean[] expectedFlags = new boolean[r.order().length];
        for (int p = 0; p < expectedFlags.length; p++) {
            expectedFlags[p] = breaksAt(r.order(), groups, cap, p);
        }
        assertArrayEquals(where, expectedFlags, r.violates());
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    static double dcg(float[] sequence) {
        double sum = 0;
        for (int p = 0; p < sequence.length; p++) {
            sum += sequence[p] / (Math.log(p + 2) / Math.log(2));
        }
        return sum;
    }

    /** The DCG magnitude of a window: absolute scores in descending order against the discounts. */
    static double scale(float[] scores) {
        float[] abs = new float[scores.length];
        for (int i = 0; i < abs.length; i++) {
            abs[i] = -Math.abs(scores[i]);
        }
        Arrays.sort(abs);
        return Math.max(1e-30, -dcg(abs));
    }

    /**
     * The best DCG of an ordering that meets the cap (negative infinity if none does), by memoized recursion over
     * (position, hits placed per shop, shops of the previous w - 1 positions); a shop's k-th placed hit is its k-th
     * best. For at most 7 shops of at most 15 hits each and windows of at most 6.
     */
    static double dynamicProgram(float[] scores, int[] groups, ShopCap cap) {
        Map<Integer, Integer> dense = new HashMap<>();
        for (int g : groups) {
            dense.putIfAbsent(g, dense.size());
        }
        int shops = dense.size();
        float[][] members = new float[shops][];
        int[] sizes = new int[shops];
        for (int g : groups) {
            sizes[dense.get(g)]++;
        }
        for (int k = 0; k < shops; k++) {
            members[k] = new float[sizes[k]];
        }
        int[] fill = new int[shops];
        for (int i = 0; i < groups.length; i++) {
            int k = dense.get(groups[i]);
            members[k][fill[k]++] = scores[i];
        }
        for (float[] m : members) {
            Arrays.sort(m);
            for (int a = 0, b = m.length - 1; a < b; a++, b--) {
                float t = m[a];
                m[a] = m[b];
                m[b] = t;
            }
        }
        if (shops > 7 || cap.window() > 6) {
            throw new IllegalArgumentException("too large for the dynamic program");
        }
        return dp(0, new int[shops], new int[0], members, cap, new HashMap<>());
    }

    private static double dp(int p, int[] placed, int[] tail, float[][] members, ShopCap cap, Map<Long, Double> memo) {
        long key = 0;
        int total = 0;
        for (int k = 0; k < placed.length; k++) {
            key = key * 16 + placed[k];
            total += members[k].length;
        }
        for (int t : tail) {
            key = key * 8 + t + 1;
        }
        key = key * 8 + tail.length;
        if (p == total) {
            return 0;
        }
        Double known = memo.get(key);
        if (known != null) {
            return known;
        }
        double best = Double.NEGATIVE_INFINITY;
        int keep = cap.isActive() ? Math.min(cap.window() - 1, tail.length + 1) : 0;
        for (int k = 0; k < placed.length; k++) {
            if (placed[k] == members[k].length) {
                continue;
            }
            int inWindow = 0;
            for (int t : tail) {
                inWindow += t == k ? 1 : 0;
            }
            if (cap.isActive() && inWindow >= cap.maxPerShop()) {
                continue;
            }
            double here = members[k][placed[k]] / (Math.log(p + 2) / Math.log(2));
            int[] nextTail = new int[keep];
            for (int q = 0; q < keep - 1; q++) {
                nextTail[q] = tail[tail.length - (keep - 1) + q];
            }
            if (keep > 0) {
                nextTail[keep - 1] = k;
            }
            placed[k]++;
            double rest = dp(p + 1, placed, nextTail, members, cap, memo);
            placed[k]--;
            best = Math.max(best, here + rest);
        }
        memo.put(key, best);
        return best;
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
        double[] best = {Double.NEGATIVE_INFINITY};
        float[][] lex = {null};
        permute(perm, 0, scores, groups, cap, best, lex);
        return new Best(best[0] != Double.NEGATIVE_INFINITY, best[0], lex[0]);
    }

    private static void permute(
            int[] perm, int k, float[] scores, int[] groups, ShopCap cap, double[] best, float[][] lex) {
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
