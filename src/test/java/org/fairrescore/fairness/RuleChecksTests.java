package org.fairrescore.fairness;

import org.junit.Test;

import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The rules' own look-aheads against brute force over label sequences: the minimums' test is exact (it allows a label
 * iff some completion meets every minimum), the cap's never rules out a label that has a completion under the cap.
 */
public class RuleChecksTests {

    @Test
    public void minimumsLookAheadIsExact() {
        Random random = new Random(31);
        int checked = 0;
        int refused = 0;
        for (int round = 0; round < 3000; round++) {
            int n = 1 + random.nextInt(9);
            int groups = 1 + random.nextInt(3);
            int[] group = new int[n];
            for (int i = 0; i < n; i++) {
                group[i] = random.nextInt(groups + 1) - 1;
            }
            // any nondecreasing minimums, growing by at most one per prefix
            int[][] minimums = new int[groups][n];
            for (int g = 0; g < groups; g++) {
                int m = 0;
                for (int i = 0; i < n; i++) {
                    m += random.nextInt(3) == 0 ? 1 : 0;
                    minimums[g][i] = m;
                }
            }
            float[] scores = QuotaModesTests.distinctScores(random, n);
            RuleModel model = RuleModel.of(WindowHits.of(scores).withGroupIds(group));
            QuotaPolicy rule = new GroupFairTopK(
                    java.util.stream.IntStream.range(0, groups)
                            .mapToObj(g -> "g" + g)
                            .toList(),
                    equal(groups),
                    0.1);
            MinimumsCheck check = new MinimumsCheck(rule, model, model.groupOfLabel, minimums);
            int[] left = model.labelSize.clone();
            // a random prefix that meets the minimums so far, then every label's test against brute force
            int prefix = random.nextInt(n);
            int[] placed = new int[n];
            boolean ok = true;
            for (int p = 0; p < prefix && ok; p++) {
                int label = randomLabel(random, left);
                ok = check.holds(label, p);
                check.place(label, p);
                placed[p] = label;
                left[label]--;
            }
            if (ok == false) {
                continue;
            }
            for (int label = 0; label < model.labels; label++) {
                if (left[label] == 0) {
                    continue;
                }
                placed[prefix] = label;
                left[label]--;
                boolean exists = completes(model, minimums, placed, prefix + 1, left, n);
                left[label]++;
                assertEquals("round " + round + " label " + label, exists, check.allows(label, prefix));
                checked++;
                refused += exists ? 0 : 1;
            }
        }
        assertTrue(checked > 3000);
        assertTrue(refused > 300);
    }

    private static double[] equal(int groups) {
        double[] p = new double[groups];
        java.util.Arrays.fill(p, 0.2);
        return p;
    }

    private static int randomLabel(Random random, int[] left) {
        int total = 0;
        for (int l : left) {
            total += l;
        }
        int pick = random.nextInt(total);
        for (int label = 0; ; label++) {
            pick -= left[label];
            if (pick < 0) {
                return label;
            }
        }
    }

    /** Whether placed[0..len) (meeting the minimums so far) extends to a full sequence meeting them at every prefix. */
    private static boolean completes(RuleModel model, int[][] minimums, int[] placed, int len, int[] left, int n) {
        int[] count = new int[minimums.length];
        for (int p = 0; p < len; p++) {
            int g = model.groupOfLabel[placed[p]];
            if (g >= 0) {
                count[g]++;
            }
            for (int h = 0; h < minimums.length; h++) {
                if (count[h] < minimums[h][p]) {
                    return false;
                }
            }
        }
        if (len == n) {
            return true;
        }
        for (int label = 0; label < left.length; label++) {
            if (left[label] > 0) {
                left[label]--;
                placed[len] = label;
                boolean ok = completes(model, minimums, placed, len + 1, left, n);
                left[label]++;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    public void capLookAheadNeverRefusesACompletableLabel() {
        Random random = new Random(37);
        int refused = 0;
        for (int round = 0; round < 3000; round++) {
            int n = 2 + random.nextInt(8);
            int shops = 1 + random.nextInt(4);
            int[] shop = new int[n];
            for (int i = 0; i < n; i++) {
                shop[i] = random.nextInt(shops);
            }
            int w = 2 + random.nextInt(4);
            ShopCap cap = new ShopCap(1 + random.nextInt(w - 1), w);
            RuleModel model = RuleModel.of(
                    WindowHits.of(QuotaModesTests.distinctScores(random, n)).withShopIds(shop));
            int[] placed = new int[n];
            CapCheck check = new CapCheck(cap, model, placed);
            int[] left = model.labelSize.clone();
            int prefix = random.nextInt(n);
            boolean ok = true;
            for (int p = 0; p < prefix && ok; p++) {
                int label = randomLabel(random, left);
                ok = check.holds(label, p);
                check.place(label, p);
                placed[p] = label;
                left[label]--;
            }
            if (ok == false) {
                continue;
            }
            for (int label = 0; label < model.labels; label++) {
                if (left[label] == 0) {
                    continue;
                }
                int[] trial = placed.clone();
                trial[prefix] = label;
                left[label]--;
                boolean exists = capCompletes(model, cap, trial, prefix + 1, left, n);
                left[label]++;
                if (exists) {
                    assertTrue("round " + round + " label " + label, check.allows(label, prefix));
                } else if (check.allows(label, prefix) == false) {
                    refused++;
                }
            }
        }
        assertTrue("the look-ahead refused " + refused, refused > 100);
    }

    private static boolean capCompletes(RuleModel model, ShopCap cap, int[] placed, int len, int[] left, int n) {
        for (int p = 0; p < len; p++) {
            int c = 0;
            for (int q = Math.max(0, p - cap.window() + 1); q <= p; q++) {
                c += model.shopOfLabel[placed[q]] == model.shopOfLabel[placed[p]] ? 1 : 0;
            }
            if (c > cap.maxPerShop()) {
                return false;
            }
        }
        if (len == n) {
            return true;
        }
        for (int label = 0; label < left.length; label++) {
            if (left[label] > 0) {
                left[label]--;
                placed[len] = label;
                boolean ok = capCompletes(model, cap, placed, len + 1, left, n);
                left[label]++;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }
}
