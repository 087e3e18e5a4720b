package org.fairrescore.fairness;

import org.junit.Test;

import java.util.List;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The multinomial m-table of FA*IR with several protected groups: exact failure probability, adjustment, ranges. */
public class MultinomialMTableTests {

    @Test
    public void oneGroupIsExactlyTheBinomialTable() {
        double[][] cases = {{20, 0.25, 0.1}, {10, 0.2, 0.15}, {50, 0.3, 0.1}, {100, 0.5, 0.05}, {7, 0.6, 0.2}};
        for (double[] c : cases) {
            int k = (int) c[0];
            MTable single = MTable.adjusted(k, c[1], c[2]);
            MultinomialMTable multi = MultinomialMTable.adjusted(k, new double[] {c[1]}, c[2]);
            assertArrayEquals(single.minimums(), multi.minimums()[0]);
            assertEquals(single.adjustedAlpha(), multi.adjustedAlpha(), 0);
            assertEquals(single.failProbability(), multi.failProbability(), 1e-12);
            assertArrayEquals(
                    MTable.minimums(k, c[1], c[2]), MultinomialMTable.minimums(k, new double[] {c[1]}, c[2])[0]);
        }
    }

    @Test
    public void failProbabilityIsExactOnSmallTables() {
        // one item, one group needed: fails unless the item is of group a
        assertEquals(0.7, MultinomialMTable.failProbability(new int[][] {{1}, {0}}, new double[] {0.3, 0.2}), 1e-12);
        // two items, both groups needed by the second prefix: passes only for (a, b) or (b, a)
        assertEquals(
                1 - 2 * 0.3 * 0.2,
                MultinomialMTable.failProbability(new int[][] {{0, 1}, {0, 1}}, new double[] {0.3, 0.2}),
                1e-12);
        // a by the first prefix, b by the second: only (a, b)
        assertEquals(
                1 - 0.3 * 0.2,
                MultinomialMTable.failProbability(new int[][] {{1, 1}, {0, 1}}, new double[] {0.3, 0.2}),
                1e-12);
        // no minimums: never fails
        assertEquals(
                0, MultinomialMTable.failProbability(new int[][] {{0, 0, 0}, {0, 0, 0}}, new double[] {0.1, 0.1}), 0);
        // three groups, three items, each group once: 3! * pa * pb * pc
        assertEquals(
                1 - 6 * 0.2 * 0.3 * 0.4,
                MultinomialMTable.failProbability(
                        new int[][] {{0, 0, 1}, {0, 0, 1}, {0, 0, 1}}, new double[] {0.2, 0.3, 0.4}),
                1e-12);
    }

    @Test
    public void failProbabilityAgreesWithMonteCarlo() {
        Random random = new Random(20261206L);
        Object[][] cases = {
            {30, new double[] {0.3, 0.2}, 0.1},
            {60, new double[] {0.25, 0.25}, 0.1},
            {40, new double[] {0.2, 0.15, 0.1}, 0.1}
        };
        for (Object[] c : cases) {
            int k = (int) c[0];
            double[] p = (double[]) c[1];
            double alpha = (double) c[2];
            for (int[][] m : List.of(
                    MultinomialMTable.adjusted(k, p, alpha).minimums(), MultinomialMTable.minimums(k, p, alpha))) {
                double exact = MultinomialMTable.failProbability(m, p);
                int trials = 200_000;
                int fails = 0;
                int[] count = new int[p.length];
                for (int t = 0; t < trials; t++) {
                    java.util.Arrays.fill(count, 0);
                    for (int i = 0; i < k; i++) {
                        double u = random.nextDouble();
                        for (int g = 0; g < p.length; g++) {
                            if (u < p[g]) {
                                count[g]++;
                                break;
                            }
                            u -= p[g];
                        }
                        boolean failed = false;
                        for (int g = 0; g < p.length; g++) {
                            failed |= count[g] < m[g][i];
                        }
                        if (failed) {
                            fails++;
                            break;
                        }
                    }
                }
                double sigma = Math.sqrt(exact * (1 - exact) / trials);
                assertEquals(
                        "k=" + k + " p=" + java.util.Arrays.toString(p),
                        exact,
                        fails / (double) trials,
                        5 * sigma + 1e-4);
            }
        }
    }

    @Test
    public void adjustmentBringsTheOverallFailureNearAlpha() {
        double[] p = {0.3, 0.2};
        for (int k : new int[] {10, 30, 100}) {
            MultinomialMTable adjusted = MultinomialMTable.adjusted(k, p, 0.1);
            double unadjustedFail = MultinomialMTable.failProbability(MultinomialMTable.minimums(k, p, 0.1), p);
            assertTrue(adjusted.adjustedAlpha() <= 0.1);
            // testing every prefix and group at 0.1 fails fair rankings far more often than 0.1
            assertTrue("k=" + k + " unadjusted " + unadjustedFail, k < 30 || unadjustedFail > 0.15);
            assertTrue("k=" + k + " " + adjusted, Math.abs(adjusted.failProbability() - 0.1) < 0.1);
            assertEquals(adjusted.failProbability(), MultinomialMTable.failProbability(adjusted.minimums(), p), 0);
            for (int[] row : adjusted.minimums()) {
                for (int i = 1; i < k; i++) {
                    assertTrue(row[i] - row[i - 1] == 0 || row[i] - row[i - 1] == 1);
                }
            }
        }
        // the example of the issue: tail >= 0.3 and mid >= 0.2 over 100 hits
        MultinomialMTable table = MultinomialMTable.adjusted(100, p, 0.1);
        assertTrue(table.minimum(0, 100) >= 20 && table.minimum(0, 100) <= 30);
        assertTrue(table.minimum(1, 100) >= 10 && table.minimum(1, 100) <= 20);
    }

    @Test
    public void rangesAreValidatedByName() {
        List<String> two = List.of("tail", "mid");
        assertMessage("proportion of group [mid]", () -> new GroupFairTopK(two, new double[] {0.3, 0}, 0.1));
        assertMessage("proportion of group [tail]", () -> new GroupFairTopK(two, new double[] {1.0, 0.2}, 0.1));
        assertMessage("proportion of group [tail]", () -> new GroupFairTopK(two, new double[] {Double.NaN, 0.2}, 0.1));
        assertMessage("sum to less than 1", () -> new GroupFairTopK(two, new double[] {0.6, 0.4}, 0.1));
        assertMessage("alpha", () -> new GroupFairTopK(two, new double[] {0.3, 0.2}, 0));
        assertMessage("alpha", () -> new GroupFairTopK(two, new double[] {0.3, 0.2}, 1));
        assertMessage("groups and proportions", () -> new GroupFairTopK(two, null, 0.1));
        assertMessage("2 groups but 1 proportions", () -> new GroupFairTopK(two, new double[] {0.3}, 0.1));
        assertMessage("distinct", () -> new GroupFairTopK(List.of("a", "a"), new double[] {0.3, 0.2}, 0.1));
        assertMessage("k must be at least 1", () -> MultinomialMTable.adjusted(0, new double[] {0.3}, 0.1));
        assertMessage("alpha", () -> MultinomialMTable.adjusted(10, new double[] {0.3}, 1.5));
        GroupFairTopK ok = new GroupFairTopK(two, new double[] {0.3, 0.2}, 0.1);
        assertEquals("group_fair_topk tail>=0.3 mid>=0.2 alpha=0.1", ok.describe());
        assertEquals(ok, new GroupFairTopK(two, new double[] {0.3, 0.2}, 0.1));
    }

    @Test
    public void cacheKeepsMultinomialTablesByValue() {
        MTableCache cache = new MTableCache(2);
        MultinomialMTable a = cache.multi(40, new double[] {0.3, 0.2}, 0.1);
        assertTrue(a == cache.multi(40, new double[] {0.3, 0.2}, 0.1));
        assertTrue(a != cache.multi(40, new double[] {0.3, 0.25}, 0.1));
    }

    @Test
    public void windowsShareTheTableOfTheNextLength() {
        MTableCache cache = new MTableCache(4);
        double[] p = {0.3, 0.2};
        MultinomialMTable table = cache.multi(37, p, 0.1);
        assertTrue(table == cache.multi(50, p, 0.1));
        assertTrue(table == cache.multi(21, p, 0.1));
        assertEquals(50, table.minimums()[0].length);
        assertEquals(10, cache.multi(1, p, 0.1).minimums()[0].length);
        assertEquals(1200, MTableCache.multinomialLength(1200, 2));
        assertEquals(37, MTableCache.multinomialLength(37, 1));
        // the longer table's rows are never stricter than the table for exactly k, so a fair ranking still fails with
        // probability at most alpha
        for (int k : new int[] {21, 37, 49}) {
            int[][] exact = MultinomialMTable.adjusted(k, p, 0.1).minimums();
            int[][] longer = table.minimums();
            int[][] prefix = new int[p.length][];
            for (int g = 0; g < p.length; g++) {
                prefix[g] = java.util.Arrays.copyOf(longer[g], k);
                for (int i = 0; i < k; i++) {
                    assertTrue("k " + k + " group " + g + " prefix " + (i + 1), longer[g][i] <= exact[g][i]);
                }
            }
            assertTrue(MultinomialMTable.failProbability(prefix, p) <= 0.1 + 1e-12);
        }
    }

    static void assertMessage(String fragment, org.junit.function.ThrowingRunnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r);
        assertTrue(e.getMessage(), e.getMessage().contains(fragment));
    }
}
