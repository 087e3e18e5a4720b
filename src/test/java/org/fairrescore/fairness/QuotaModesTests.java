package org.fairrescore.fairness;

import org.junit.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Property and brute-force tests of the share and FA*IR modes, and the m-table. */
public class QuotaModesTests {

    // ---- m-table ------------------------------------------------------------------------------------------

    @Test
    public void mtableMatchesTheFairPaperExample() {
        assertArrayEquals(
                new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3}, MTable.minimums(20, 0.25, 0.1));
        MTable adjusted = MTable.adjusted(20, 0.25, 0.1);
        assertEquals(0.078125, adjusted.adjustedAlpha(), 1e-12);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, adjusted.minimums());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, MTable.minimums(10, 0.2, 0.15));
    }

    @Test
    public void failProbabilityIsExact() {
        // m = [1]: fails iff the single item is unprotected
        assertEquals(0.75, MTable.failProbability(new int[] {1}, 0.25), 1e-12);
        // m = [0, 1]: fails iff neither of two items is protected
        assertEquals(0.5625, MTable.failProbability(new int[] {0, 1}, 0.25), 1e-12);
        // m = [1, 2]: fails unless both are protected
        assertEquals(1 - 0.0625, MTable.failProbability(new int[] {1, 2}, 0.25), 1e-12);
        // Monte Carlo agreement on the paper's adjusted table
        int[] m = MTable.adjusted(20, 0.25, 0.1).minimums();
        Random random = new Random(3);
        int fails = 0;
        int trials = 200_000;
        for (int t = 0; t < trials; t++) {
            int count = 0;
            for (int i = 0; i < m.length; i++) {
                count += random.nextDouble() < 0.25 ? 1 : 0;
                if (count < m[i]) {
                    fails++;
                    break;
                }
            }
        }
        assertEquals(MTable.failProbability(m, 0.25), fails / (double) trials, 0.005);
    }

    @Test
    public void parametersAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new FairTopK(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new FairTopK(1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new FairTopK(0.3, 0));
        assertThrows(IllegalArgumentException.class, () -> new FairTopK(0.3, 1));
        assertThrows(IllegalArgumentException.class, () -> new ExposureShare(0, 5));
        assertThrows(IllegalArgumentException.class, () -> new ExposureShare(1.2, 5));
        assertThrows(IllegalArgumentException.class, () -> new ExposureShare(0.3, 0));
        assertThrows(IllegalArgumentException.class, () -> new ShopCap(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> MTable.adjusted(0, 0.3, 0.1));
    }

    @Test
    public void mtableCacheComputesOncePerKey() {
        MTableCache cache = new MTableCache(2);
        MTable a = cache.get(20, 0.25, 0.1);
        assertTrue(a == cache.get(20, 0.25, 0.1));
        cache.get(30, 0.25, 0.1);
        cache.get(40, 0.25, 0.1);
        assertEquals(2, cache.size());
    }

    // ---- FA*IR --------------------------------------------------------------------------------------------

    @Test
    public void fairTopKPromotesProtectedHitsWhereTheTableDemands() {
        float[] scores = {10, 9, 8, 7, 6, 1};
        boolean[] prot = {false, false, false, false, false, true};
        int[] m = {0, 0, 1, 1, 1, 1};
        Reordering r = FairTopKReorderer.reorder(scores, prot, m);
        assertArrayEquals(new int[] {0, 1, 5, 2, 3, 4}, r.order());
        assertTrue(r.quotaMet());
    }

    @Test
    public void fairTopKFlagsPositionsItCannotMeet() {
        float[] scores = {10, 9, 8};
        boolean[] prot = {false, false, true};
        int[] m = {1, 2, 2};
        Reordering r = FairTopKReorderer.reorder(scores, prot, m);
        assertArrayEquals(new int[] {2, 0, 1}, r.order());
        assertFalse(r.quotaMet());
        assertArrayEquals(new boolean[] {false, true, true}, r.violates());
    }

    @Test
    public void fairTopKIsTheBestOrderingThatPassesOnSmallWindows() {
        Random random = new Random(11);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + random.nextInt(7);
            float[] scores = distinctScores(random, n);
            boolean[] prot = new boolean[n];
            for (int i = 0; i < n; i++) {
                prot[i] = random.nextDouble() < 0.35;
            }
            int[] m = MTable.adjusted(n, 0.2 + random.nextDouble() * 0.5, 0.05 + random.nextDouble() * 0.2)
                    .minimums();
            Reordering r = FairTopKReorderer.reorder(scores, prot, m);
            String where = "round " + round + " " + Arrays.toString(scores) + " " + Arrays.toString(prot) + " "
                    + Arrays.toString(m);
            CapReordererTests.assertPermutationOf(r.order(), n, where);
            Predicate<int[]> passes = order -> {
                int count = 0;
                for (int p = 0; p < order.length; p++) {
                    count += prot[order[p]] ? 1 : 0;
                    if (count < m[p]) {
                        return false;
                    }
                }
                return true;
            };
            float[] best = bestSequence(scores, passes);
            assertEquals(where, best != null, r.quotaMet());
            if (best != null) {
                assertTrue(where, passes.test(r.order()));
                assertArrayEquals(where, best, sequence(r.order(), scores), 0f);
            }
        }
    }

    // ---- share --------------------------------------------------------------------------------------------

    @Test
    public void shareKeepsEveryPrefixUnderTheCeiling() {
        Random random = new Random(5);
        for (int round = 0; round < 300; round++) {
            int n = 5 + random.nextInt(200);
            int shops = 3 + random.nextInt(60);
            float[] scores = new float[n];
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextFloat();
                groups[i] = (int) Math.floor(shops * Math.pow(random.nextDouble(), 2.5));
            }
            ExposureShare share = new ExposureShare(0.1 + random.nextDouble() * 0.4, 1 + random.nextInt(8));
            Reordering r = ShareReorderer.reorder(scores, groups, share);
            CapReordererTests.assertPermutationOf(r.order(), n, "round " + round);
            int firstBreak = firstShareBreak(r.order(), groups, share);
            if (r.quotaMet()) {
                assertEquals("round " + round, -1, firstBreak);
                Reordering greedy =
                        ShareReorderer.solve(scores, groups, share, 0).reordering();
                double tolerance = 1e-7 * CapReordererTests.scale(scores);
                assertTrue(
                        "round " + round,
                        CapReordererTests.dcg(r.order(), scores)
                                >= CapReordererTests.dcg(greedy.order(), scores) - tolerance);
            } else {
                boolean anyFlag = false;
                for (int p = 0; p <= (firstBreak < 0 ? n - 1 : firstBreak); p++) {
                    anyFlag |= r.violates()[p];
                }
                assertTrue("a broken prefix is preceded by a flagged position, round " + round, anyFlag);
            }
        }
    }

    @Test
    public void shareIsTheBestOrderingThatHoldsOnSmallWindows() {
        Random random = new Random(13);
        int checked = 0;
        for (int round = 0; round < 2000; round++) {
            int n = 1 + random.nextInt(7);
            float[] scores = distinctScores(random, n);
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                groups[i] = random.nextInt(1 + random.nextInt(5));
            }
            ExposureShare share = new ExposureShare(0.25 + random.nextDouble() * 0.5, 1 + random.nextInt(4));
            Reordering r = ShareReorderer.solve(scores, groups, share, 0).reordering(); // the greedy incumbent
            String where =
                    "round " + round + " " + Arrays.toString(scores) + " " + Arrays.toString(groups) + " " + share;
            float[] best = bestSequence(scores, order -> firstShareBreak(order, groups, share) < 0);
            if (r.quotaMet()) {
                assertEquals(where, -1, firstShareBreak(r.order(), groups, share));
                assertArrayEquals(where, best, sequence(r.order(), scores), 0f);
                checked++;
            }
        }
        assertTrue(checked > 500);
    }

    /**
     * Against brute force (n <= 8): when the greedy holds the share, the result holds it, has the best DCG among all
     * orderings that hold it (every prefix from share_min_prefix on), is proven so, and leaves the lexicographic
     * order only for a strictly better DCG. When the greedy cannot hold it, the flagged greedy result stands.
     */
    @Test
    public void shareHasTheBestDcgOnSmallWindows() {
        Random random = new Random(17);
        int met = 0;
        int beatLexicographic = 0;
        for (int round = 0; round < 4000; round++) {
            int n = 1 + random.nextInt(8);
            int kind = random.nextInt(3);
            float[] scores = new float[n];
            int[] groups = new int[n];
            int shops = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                scores[i] = switch (kind) {
                    case 0 -> random.nextFloat();
                    case 1 -> random.nextInt(5) / 2f;
                    default -> (random.nextInt(7) - 3) / 2f;
                };
                groups[i] = random.nextInt(shops);
            }
            ExposureShare share = new ExposureShare(0.2 + random.nextDouble() * 0.6, 1 + random.nextInt(4));
            DcgSearch.Outcome outcome = ShareReorderer.solve(scores, groups, share);
            Reordering r = outcome.reordering();
            Reordering greedy = ShareReorderer.solve(scores, groups, share, 0).reordering();
            String where =
                    "round " + round + " " + Arrays.toString(scores) + " " + Arrays.toString(groups) + " " + share;
            CapReordererTests.assertPermutationOf(r.order(), n, where);
            assertEquals(where, greedy.quotaMet(), r.quotaMet());
            if (r.quotaMet() == false) {
                assertArrayEquals(where, greedy.order(), r.order());
                assertArrayEquals(where, greedy.violates(), r.violates());
                assertFalse(where, outcome.dcgOptimal());
                continue;
            }
            met++;
            assertEquals(where, -1, firstShareBreak(r.order(), groups, share));
            assertTrue(where, outcome.dcgOptimal());
            double[] best = {Double.NEGATIVE_INFINITY};
            forEachPermutation(n, order -> {
                if (holdsShare(order, groups, share)) {
                    best[0] = Math.max(best[0], CapReordererTests.dcg(order, scores));
                }
            });
            double tolerance = 1e-7 * CapReordererTests.scale(scores);
            double got = CapReordererTests.dcg(r.order(), scores);
            assertTrue(where + ": dcg " + got + " < best " + best[0], got >= best[0] - tolerance);
            if (Arrays.equals(sequence(r.order(), scores), sequence(greedy.order(), scores)) == false) {
                assertTrue(
                        where,
                        got
                                > CapReordererTests.dcg(greedy.order(), scores)
                                        + DcgSearch.TOLERANCE * CapReordererTests.scale(scores));
                beatLexicographic++;
            }
        }
        assertTrue("windows holding the share: " + met, met > 1000);
        assertTrue(
                "windows where the DCG optimum is not the greedy order: " + beatLexicographic, beatLexicographic > 10);
    }

    /** The share at every prefix from share_min_prefix on, with the reorderer's own 1e-12 slack. */
    private static boolean holdsShare(int[] order, int[] groups, ExposureShare share) {
        return firstShareBreak(order, groups, share, true) < 0;
    }

    private static void forEachPermutation(int n, java.util.function.Consumer<int[]> action) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        permuteAll(perm, 0, action);
    }

    private static void permuteAll(int[] perm, int k, java.util.function.Consumer<int[]> action) {
        if (k == perm.length) {
            action.accept(perm);
            return;
        }
        for (int i = k; i < perm.length; i++) {
            int t = perm[k];
            perm[k] = perm[i];
            perm[i] = t;
            permuteAll(perm, k + 1, action);
            perm[i] = perm[k];
            perm[k] = t;
        }
    }

    /** The first position (0-based) whose prefix breaks the share by more than 1e-9, or -1. */
    static int firstShareBreak(int[] order, int[] groups, ExposureShare share) {
        return firstShareBreak(order, groups, share, false);
    }

    /** As above; {@code exactSlack} uses the reorderer's own tolerance, {@code e > (max_share + 1e-12) * total}. */
    private static int firstShareBreak(int[] order, int[] groups, ExposureShare share, boolean exactSlack) {
        Map<Integer, Double> exposure = new HashMap<>();
        double total = 0;
        for (int p = 0; p < order.length; p++) {
            double w = ExposureShare.weight(p + 1);
            total += w;
            exposure.merge(groups[order[p]], w, Double::sum);
            if (p + 1 >= share.minPrefix()) {
                for (double e : exposure.values()) {
                    if (exactSlack ? e > (share.maxShare() + 1e-12) * total : e / total > share.maxShare() + 1e-9) {
                        return p;
                    }
                }
            }
        }
        return -1;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static float[] distinctScores(Random random, int n) {
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i + random.nextFloat() / 2;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = scores[i];
            scores[i] = scores[j];
            scores[j] = t;
        }
        return scores;
    }

    static float[] sequence(int[] order, float[] scores) {
        float[] seq = new float[order.length];
        for (int p = 0; p < order.length; p++) {
            seq[p] = scores[order[p]];
        }
        return seq;
    }

    /** The lexicographically greatest score sequence among orderings that pass, or null if none does. */
    static float[] bestSequence(float[] scores, Predicate<int[]> passes) {
        int n = scores.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        float[][] best = {null};
        permute(perm, 0, scores, passes, best);
        return best[0];
    }

    private static void permute(int[] perm, int k, float[] scores, Predicate<int[]> passes, float[][] best) {
        if (k == perm.length) {
            if (passes.test(perm)) {
                float[] seq = sequence(perm, scores);
                if (best[0] == null || Arrays.compare(seq, best[0]) > 0) {
                    best[0] = seq;
                }
            }
            return;
        }
        for (int i = k; i < perm.length; i++) {
            int t = perm[k];
            perm[k] = perm[i];
            perm[i] = t;
            permute(perm, k + 1, scores, passes, best);
            perm[i] = perm[k];
            perm[k] = t;
        }
    }
}
