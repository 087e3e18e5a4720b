package org.fairrescore.fairness;

import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * The composite placement: several rules at once (every combination of cap, share, fair_topk and group minimums), against
 * an independent oracle on every prefix and against brute force over all orderings of small windows.
 */
public class CompositePlacerTests {

    private static final MTableCache TABLES = new MTableCache(4096);
    private static final List<String> GROUPS = List.of("tail", "mid");

    /** A random window: scores, Zipf-ish shops, protected flags and two groups correlated with the shop. */
    static WindowHits window(Random random, int n, int shops, boolean ties) {
        float[] scores = new float[n];
        int[] shop = new int[n];
        boolean[] prot = new boolean[n];
        int[] group = new int[n];
        double skew = 0.3 + 1.7 * random.nextDouble();
        double protShare = 0.2 + 0.6 * random.nextDouble();
        for (int i = 0; i < n; i++) {
            scores[i] = ties ? random.nextInt(6) / 5f : random.nextFloat();
            shop[i] = (int) Math.floor(shops * Math.pow(random.nextDouble(), skew));
            prot[i] = random.nextDouble() < protShare;
            int tier = Math.floorMod(shop[i] * 7 + 3, 5); // a shop's tier: tail 0-1, mid 2, head 3-4, mostly
            if (random.nextInt(4) == 0) {
                tier = random.nextInt(5);
            }
            group[i] = tier <= 1 ? 0 : tier == 2 ? 1 : -1;
        }
        return WindowHits.of(scores).withShopIds(shop).withProtected(prot).withGroupIds(group);
    }

    /**
     * The rules of combination {@code mask} (bit 0 fair_topk, 1 group minimums, 2 cap, 3 share), random parameters (the
     * FA*IR ones from a few values, so that the m-tables come from the cache).
     */
    static List<QuotaPolicy> rules(Random random, int mask, int n) {
        double[] alphas = {0.05, 0.1, 0.2};
        List<QuotaPolicy> rules = new ArrayList<>();
        if ((mask & 1) != 0) {
            rules.add(new FairTopK(0.2 + 0.1 * random.nextInt(6), alphas[random.nextInt(3)]));
        }
        if ((mask & 2) != 0) {
            rules.add(new GroupFairTopK(
                    GROUPS,
                    new double[] {0.1 + 0.1 * random.nextInt(3), 0.1 + 0.1 * random.nextInt(2)},
                    alphas[1 + random.nextInt(2)]));
        }
        if ((mask & 4) != 0) {
            int w = 2 + random.nextInt(Math.max(1, Math.min(9, n - 1)));
            rules.add(new ShopCap(1 + random.nextInt(w - 1), w));
        }
        if ((mask & 8) != 0) {
            rules.add(new ExposureShare(0.35 + 0.5 * random.nextDouble(), 2 + random.nextInt(4)));
        }
        return new Rules(rules).rules(); // priority order
    }

    static void assertPermutation(int[] order, int n, String where) {
        CapReordererTests.assertPermutationOf(order, n, where);
    }

    /**
     * Property, every rule combination of two or more rules, windows of 5 to 64 hits and of 100, 200, 300, with and without
     * diversity: the
     * result is a permutation; a rule the result says was kept holds at every prefix (oracle); quotaMet is exactly
     * "every rule holds at every prefix"; where quotaMet is false a rule gave way at a flagged position no later than
     * the oracle's first break; the trace accounts for every position that took a worse-scored hit.
     */
    @Test
    public void everyCombinationHoldsItsRulesAtEveryPrefix() {
        Random random = new Random(20261206L);
        int met = 0;
        int gaveWay = 0;
        int lookAhead = 0;
        for (int round = 0; round < 1200; round++) {
            int combination = pickCombination(random);
            int n = round % 10 == 0 ? 100 * (1 + random.nextInt(3)) : 5 + random.nextInt(60);
            WindowHits hits = window(random, n, 2 + random.nextInt(Math.max(2, n / 3)), random.nextInt(4) == 0);
            List<QuotaPolicy> rules = rules(random, combination, n);
            Diversity diversity = Diversity.OFF;
            if (random.nextInt(3) == 0) {
                hits = hits.withVectors(vectors(random, n, 8, 3));
                diversity = new Diversity(0.5 + 0.5 * random.nextDouble(), random.nextBoolean() ? 0.9 : 1);
            }
            String where = "round " + round + " n=" + n + " " + rules + " " + diversity;
            CompositePlacer.Outcome outcome;
            try {
                outcome = CompositePlacer.solve(hits, rules, diversity, TABLES, -1);
            } catch (AssertionError e) {
                throw new AssertionError(
                        where + " scores " + Arrays.toString(hits.scores()) + " shops "
                                + Arrays.toString(hits.shops()) + " prot " + Arrays.toString(hits.protectedHits())
                                + " groups "
                                + Arrays.toString(hits.groups()),
                        e);
            }
            Reordering r = outcome.reordering();
            assertPermutation(r.order(), n, where);
            RuleOracle oracle = new RuleOracle(hits, rules, TABLES);
            for (int i = 0; i < rules.size(); i++) {
                if ((outcome.enforced() & (1 << i)) != 0) {
                    assertEquals(where + " kept rule " + rules.get(i), -1, oracle.firstBreak(i, r.order(), n));
                }
            }
            boolean all = oracle.holds((1 << rules.size()) - 1, r.order(), n);
            assertEquals(where, all, r.quotaMet());
            if (all) {
                met++;
            } else {
                gaveWay++;
                for (int i = 0; i < rules.size(); i++) {
                    int first = oracle.firstBreak(i, r.order(), n);
                    if (first >= 0) {
                        boolean flagged = false;
                        for (int p = 0; p <= first; p++) {
                            flagged |= r.trace().step(p).gaveWay().contains(rules.get(i));
                        }
                        assertTrue(where + ": " + rules.get(i) + " breaks at " + first + " unflagged", flagged);
                    }
                }
            }
            lookAhead += outcome.greedy() ? 0 : 1;
            assertTraceAccounts(hits, r, where);
        }
        System.out.printf(
                Locale.ROOT,
                "composite property: %d windows met every rule, %d not; %d took the look-ahead path%n",
                met,
                gaveWay,
                lookAhead);
        assertTrue("met " + met, met > 400);
        assertTrue("gave way " + gaveWay, gaveWay > 50);
        assertTrue("look-ahead path " + lookAhead, lookAhead > 50);
    }

    private static int pickCombination(Random random) {
        int mask;
        do {
            mask = 1 + random.nextInt(15);
        } while (Integer.bitCount(mask) < 2);
        return mask;
    }

    /**
     * Against brute force over every ordering (n <= 8): the rules kept are exactly those the priority order keeps (a rule
     * is kept when some ordering meets it with the kept rules before it), each holds at every prefix, and in particular
     * when some ordering meets all the rules the result does. Without diversity: the greedy with look-ahead (no DCG
     * search) is the lexicographically best ordering meeting the rules, and with the search the DCG is the brute-force
     * best; the gap of the greedy to the best is reported.
     */
    @Test
    public void matchesBruteForceOnSmallWindows() {
        Random random = new Random(7);
        int feasible = 0;
        int infeasible = 0;
        int improved = 0;
        double gapSum = 0;
        double gapMax = 0;
        for (int round = 0; round < 2000; round++) {
            int combination = pickCombination(random);
            int n = 2 + random.nextInt(7);
            boolean ties = random.nextInt(3) == 0;
            WindowHits hits = window(random, n, 1 + random.nextInt(4), ties);
            List<QuotaPolicy> rules = rules(random, combination, n);
            String where = "round " + round + " " + Arrays.toString(hits.scores()) + " shops "
                    + Arrays.toString(hits.shops()) + " prot " + Arrays.toString(hits.protectedHits()) + " groups "
                    + Arrays.toString(hits.groups()) + " " + rules;
            RuleOracle oracle = new RuleOracle(hits, rules, TABLES);
            int all = (1 << rules.size()) - 1;
            int kept = oracle.enforcedByPriority();
            CompositePlacer.Outcome greedy = CompositePlacer.solve(hits, rules, Diversity.OFF, TABLES, 0);
            CompositePlacer.Outcome best = CompositePlacer.solve(hits, rules, Diversity.OFF, TABLES, -1);
            for (CompositePlacer.Outcome o : List.of(greedy, best)) {
                assertPermutation(o.reordering().order(), n, where);
                assertEquals(where, kept, o.enforced());
                assertTrue(where, oracle.holds(kept, o.reordering().order(), n));
                assertEquals(where, kept == all, o.reordering().quotaMet());
            }
            if (kept != all) {
                infeasible++;
                continue;
            }
            feasible++;
            float[] scores = hits.scores();
            // lexicographically best score sequence among orderings meeting every rule
            float[][] lexBest = {null};
            double[] dcgBest = {Double.NEGATIVE_INFINITY};
            oracle.forEachFeasible(all, perm -> {
                float[] seq = QuotaModesTests.sequence(perm, scores);
                if (lexBest[0] == null || Arrays.compare(seq, lexBest[0]) > 0) {
                    lexBest[0] = seq;
                }
                dcgBest[0] = Math.max(dcgBest[0], CapReordererTests.dcg(perm, scores));
            });
            if (ties == false) {
                assertArrayEquals(
                        where,
                        lexBest[0],
                        QuotaModesTests.sequence(greedy.reordering().order(), scores),
                        0f);
            }
            double tolerance = 1e-7 * CapReordererTests.scale(scores);
            double got = CapReordererTests.dcg(best.reordering().order(), scores);
            double base = CapReordererTests.dcg(greedy.reordering().order(), scores);
            assertTrue(where, got >= base - tolerance);
            assertTrue(where + ": dcg " + got + " < best " + dcgBest[0], got >= dcgBest[0] - tolerance);
            assertTrue(where, best.dcgOptimal());
            double gap = (dcgBest[0] - base) / Math.max(1e-12, dcgBest[0]);
            gapSum += gap;
            gapMax = Math.max(gapMax, gap);
            improved += got > base + tolerance ? 1 : 0;
        }
        System.out.printf(
                Locale.ROOT,
                "composite brute force: %d feasible windows, %d not; greedy-with-look-ahead DCG gap to the best: mean %.5f%%,"
                        + " max %.4f%%; DCG search improved %d windows and closed every gap%n",
                feasible,
                infeasible,
                100 * gapSum / feasible,
                100 * gapMax,
                improved);
        assertTrue(feasible > 600);
        assertTrue(infeasible > 100);
        assertTrue(improved > 5);
    }

    /** With diversity on small windows: whenever some ordering meets the rules, the result does (MMR never breaks one). */
    @Test
    public void diversityNeverBreaksAFeasibleRuleSet() {
        Random random = new Random(99);
        int checked = 0;
        for (int round = 0; round < 1500; round++) {
            int combination = random.nextInt(16);
            int n = 2 + random.nextInt(6);
            WindowHits hits = window(random, n, 1 + random.nextInt(4), false).withVectors(vectors(random, n, 4, 2));
            List<QuotaPolicy> rules = rules(random, combination, n);
            Diversity diversity = new Diversity(random.nextDouble(), random.nextBoolean() ? 0.8 : 1);
            RuleOracle oracle = new RuleOracle(hits, rules, TABLES);
            int all = (1 << rules.size()) - 1;
            Reordering r = new QuotaReorderer(TABLES).apply(hits, new Rules(rules), diversity);
            String where = "round " + round + " " + rules + " " + diversity;
            assertPermutation(r.order(), n, where);
            if (oracle.feasible(all)) {
                checked++;
                assertTrue(where, r.quotaMet());
                assertTrue(where, oracle.holds(all, r.order(), n));
            }
            assertTraceAccounts(hits, r, where);
        }
        System.out.println("diversity under rules: " + checked + " feasible windows checked");
        assertTrue(checked > 500);
    }

    /** One rule and no diversity keeps today's reorderer, whether given alone or as a list of one. */
    @Test
    public void aSingleRuleKeepsItsOwnReorderer() {
        Random random = new Random(3);
        QuotaReorderer reorderer = new QuotaReorderer(TABLES);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(120);
            WindowHits hits = window(random, n, 1 + random.nextInt(20), random.nextBoolean());
            QuotaPolicy single = switch (round % 3) {
                case 0 -> new ShopCap(1 + random.nextInt(2), 3 + random.nextInt(5));
                case 1 -> new ExposureShare(0.2 + random.nextDouble() * 0.5, 1 + random.nextInt(6));
                default -> new FairTopK(0.2 + random.nextDouble() * 0.5, 0.1);
            };
            Reordering today = switch (single) {
                case ShopCap cap -> CapReorderer.reorder(hits.scores(), hits.shops(), cap);
                case ExposureShare share -> ShareReorderer.reorder(hits.scores(), hits.shops(), share);
                case FairTopK fair ->
                    FairTopKReorderer.reorder(
                            hits.scores(),
                            hits.protectedHits(),
                            TABLES.get(n, fair.p(), fair.alpha()).minimums());
                default -> throw new AssertionError();
            };
            for (QuotaPolicy policy :
                    List.of(single, new Rules(List.of(single)), Rules.of(List.of(single, ShopCap.NONE)))) {
                Reordering r = reorderer.apply(hits, policy, Diversity.OFF);
                assertArrayEquals("round " + round + " " + policy, today.order(), r.order());
                assertArrayEquals(today.violates(), r.violates());
                assertEquals(today.quotaMet(), r.quotaMet());
                assertNotNull(r.trace());
                assertTraceAccounts(hits, r, "round " + round);
            }
        }
    }

    /** Group minimums with one group place exactly as FA*IR with that group protected. */
    @Test
    public void oneGroupMinimumIsFairTopK() {
        Random random = new Random(5);
        QuotaReorderer reorderer = new QuotaReorderer(TABLES);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(150);
            WindowHits hits = window(random, n, 10, false);
            double p = 0.1 + 0.6 * random.nextDouble();
            boolean[] prot = hits.protectedHits();
            int[] group = new int[n];
            for (int i = 0; i < n; i++) {
                group[i] = prot[i] ? 0 : -1;
            }
            Reordering fair = reorderer.apply(hits, new FairTopK(p, 0.1), Diversity.OFF);
            Reordering groups = reorderer.apply(
                    hits.withGroupIds(group), new GroupFairTopK(List.of("tail"), new double[] {p}, 0.1), Diversity.OFF);
            // the composite path may improve the DCG where FA*IR's greedy is not DCG-optimal; without the search they
            // agree
            Reordering greedy = CompositePlacer.solve(
                            hits.withGroupIds(group),
                            List.of(new GroupFairTopK(List.of("tail"), new double[] {p}, 0.1)),
                            Diversity.OFF,
                            TABLES,
                            0)
                    .reordering();
            assertArrayEquals("round " + round, fair.order(), greedy.order());
            assertEquals(fair.quotaMet(), groups.quotaMet());
            assertArrayEquals(fair.violates(), greedy.violates());
            assertTrue(CapReordererTests.dcg(groups.order(), hits.scores())
                    >= CapReordererTests.dcg(fair.order(), hits.scores()) - 1e-6);
        }
    }

    /**
     * Priority: fair_topk needs the only protected hit on top, the cap (1 in 2) would keep the best shop's two hits
     * apart; both cannot hold everywhere with three hits of one shop in four, so the cap gives way where it must, the
     * minimums hold, and the trace says which rule moved and which gave way.
     */
    @Test
    public void theHigherPriorityRuleWinsAndTheTraceSaysWhichGaveWay() {
        float[] scores = {0.9f, 0.8f, 0.7f, 0.1f};
        int[] shops = {1, 1, 1, 2};
        boolean[] prot = {false, false, false, true};
        WindowHits hits = WindowHits.of(scores).withShopIds(shops).withProtected(prot);
        // the m-table demands the protected hit in the top 2
        FairTopK fair = new FairTopK(0.5, 0.3);
        assertArrayEquals(new int[] {0, 1, 1, 1}, TABLES.get(4, 0.5, 0.3).minimums());
        ShopCap cap = new ShopCap(1, 2);
        Reordering r = new QuotaReorderer(TABLES).apply(hits, new Rules(List.of(cap, fair)), Diversity.OFF);
        assertArrayEquals(new int[] {0, 3, 1, 2}, r.order());
        assertFalse(r.quotaMet());
        Trace t = r.trace();
        assertEquals(List.of(fair, cap), t.rules());
        assertTrue(t.step(0).unmoved());
        assertEquals(fair, t.step(1).rule()); // the protected hit moved up by fair_topk
        assertTrue(t.step(2).gaveWay().isEmpty());
        assertEquals(List.of(cap), t.step(3).gaveWay()); // shop 1 twice in a row: the cap gave way
        assertArrayEquals(new boolean[] {false, false, false, true}, r.violates());
        assertEquals(1, Trace.displacedAt(r, 1)); // hit 1 moved down by position 1's decision
        assertEquals(-1, Trace.displacedAt(r, 3));
    }

    /** The cap's look-ahead generalised: plain greedy would end with the big shop's hits adjacent; the rules still hold. */
    @Test
    public void looksAheadUnderSeveralRules() {
        // cap 1 in 2: A B C A A would break; share keeps nothing from it; the group minimum wants a tail hit in the top
        // 3
        float[] scores = {10, 9, 8, 1, 0.5f};
        int[] shops = {1, 2, 3, 1, 1};
        int[] groups = {-1, -1, 0, -1, -1};
        WindowHits hits = WindowHits.of(scores).withShopIds(shops).withGroupIds(groups);
        List<QuotaPolicy> rules = List.of(
                new ShopCap(1, 2),
                new GroupFairTopK(List.of("tail"), new double[] {0.2}, 0.2),
                new ExposureShare(0.75, 3));
        CompositePlacer.Outcome o = CompositePlacer.solve(hits, new Rules(rules).rules(), Diversity.OFF, TABLES, 0);
        assertArrayEquals(new int[] {0, 1, 3, 2, 4}, o.reordering().order());
        assertTrue(o.reordering().quotaMet());
    }

    // ---- diversity ---------------------------------------------------------------------------------------------

    /** Random unit vectors around a few centres (so hits are similar in clusters). */
    static float[][] vectors(Random random, int n, int dims, int centres) {
        float[][] c = new float[centres][dims];
        for (float[] v : c) {
            for (int d = 0; d < dims; d++) {
                v[d] = (float) random.nextGaussian();
            }
        }
        float[][] v = new float[n][];
        for (int i = 0; i < n; i++) {
            if (random.nextInt(10) == 0) {
                continue; // no vector
            }
            float[] x = new float[dims];
            float[] centre = c[random.nextInt(centres)];
            double noise = random.nextInt(4) == 0 ? 0.02 : 0.6;
            double norm = 0;
            for (int d = 0; d < dims; d++) {
                x[d] = (float) (centre[d] + noise * random.nextGaussian());
                norm += x[d] * x[d];
            }
            for (int d = 0; d < dims; d++) {
                x[d] /= (float) Math.sqrt(norm);
            }
            v[i] = x;
        }
        return v;
    }

    /**
     * Without rules, the lazy MMR is plain MMR recomputed in full at every position: the hit maximising lambda * score -
     * (1 - lambda) * max(0, max cosine to the placed hits), ties to the better score; near duplicates (cosine to a placed
     * hit at or above the threshold, within the depth) after every other hit, in score order; beyond the depth, score
     * order.
     */
    @Test
    public void mmrIsPlainMmr() {
        Random random = new Random(17);
        for (int round = 0; round < 400; round++) {
            int n = 1 + random.nextInt(80);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(5) == 0 ? 0.5f : random.nextFloat();
            }
            float[][] vectors = vectors(random, n, 6, 1 + random.nextInt(4));
            double lambda = random.nextInt(5) == 0 ? 1 : random.nextDouble();
            double threshold = random.nextBoolean() ? 1 : 0.9 + 0.1 * random.nextDouble();
            int depth = random.nextInt(3) == 0 ? 1 + random.nextInt(n) : Integer.MAX_VALUE;
            Diversity diversity = new Diversity(lambda, threshold, depth);
            WindowHits hits = WindowHits.of(scores).withVectors(vectors);
            Reordering r = new QuotaReorderer(TABLES).apply(hits, QuotaPolicy.None.INSTANCE, diversity);
            int[] expected = naiveMmr(scores, vectors, diversity);
            String where = "round " + round + " " + diversity;
            if (diversity.isActive()) {
                assertArrayEquals(where, expected, r.order());
            }
            for (int p = 0; p < n; p++) {
                int dup = r.trace().step(p).duplicateOf();
                if (dup >= 0) {
                    assertTrue(where, MmrOrder.dot(vectors[r.order()[p]], vectors[dup]) >= threshold);
                    assertTrue(where, r.positions()[dup] < p);
                }
            }
            assertTraceAccounts(hits, r, where);
        }
    }

    static int[] naiveMmr(float[] scores, float[][] vectors, Diversity diversity) {
        int n = scores.length;
        int[] byScore = RankedGroups.scoreOrder(scores);
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[byScore[r]] = r;
        }
        boolean[] placed = new boolean[n];
        boolean[] dup = new boolean[n];
        List<Integer> placedWithVector = new ArrayList<>();
        int[] order = new int[n];
        for (int p = 0; p < n; p++) {
            int best = -1;
            double bestValue = 0;
            boolean within = p < diversity.depth();
            for (int i = 0; i < n; i++) {
                if (placed[i] || (within && dup[i])) {
                    continue;
                }
                float red = 0;
                if (vectors[i] != null && within) {
                    for (int j : placedWithVector) {
                        red = Math.max(red, MmrOrder.dot(vectors[i], vectors[j]));
                    }
                }
                if (within && diversity.dedup() && red >= diversity.duplicateThreshold()) {
                    dup[i] = true;
                    continue;
                }
                double value = within ? diversity.lambda() * scores[i] - (1 - diversity.lambda()) * red : -rank[i];
                if (best < 0 || value > bestValue || (value == bestValue && rank[i] < rank[best])) {
                    best = i;
                    bestValue = value;
                }
            }
            if (best < 0) { // only near duplicates left within the depth: score order
                for (int r = 0; r < n && best < 0; r++) {
                    best = placed[byScore[r]] ? -1 : byScore[r];
                }
            }
            placed[best] = true;
            order[p] = best;
            if (vectors[best] != null && within) {
                placedWithVector.add(best);
            }
        }
        return order;
    }

    @Test
    public void nearDuplicatesMoveToTheEndAndSayOfWhich() {
        float[] a = {1, 0, 0};
        float[] aPrime = {0.999f, 0.0447f, 0};
        float[] b = {0, 1, 0};
        float[] c = {0, 0, 1};
        float[] scores = {0.9f, 0.85f, 0.5f, 0.4f};
        WindowHits hits = WindowHits.of(scores).withVectors(new float[][] {a, aPrime, b, c});
        Reordering r = new QuotaReorderer(TABLES).apply(hits, QuotaPolicy.None.INSTANCE, new Diversity(1, 0.95));
        assertArrayEquals(new int[] {0, 2, 3, 1}, r.order());
        assertEquals(0, r.trace().step(3).duplicateOf());
        assertTrue(r.trace().step(1).diversified()); // b moved up over the near duplicate
        // a rule needing the near duplicate wins over diversity: hit 1 is the only protected hit, needed in the top 2
        WindowHits protectedDup = hits.withProtected(new boolean[] {false, true, false, false});
        Reordering ruled =
                new QuotaReorderer(TABLES).apply(protectedDup, new FairTopK(0.5, 0.3), new Diversity(1, 0.95));
        assertEquals(1, ruled.order()[1]);
        assertTrue(ruled.quotaMet());
    }

    @Test
    public void mmrPrefersTheDissimilarHitWithinTheRules() {
        float[] x = {1, 0};
        float[] y = {0, 1};
        float[] scores = {0.9f, 0.88f, 0.8f, 0.2f};
        // hits 0 and 1 identical direction, 2 orthogonal; shops: 0 and 2 share a shop
        WindowHits hits =
                WindowHits.of(scores).withShopIds(new int[] {1, 2, 1, 3}).withVectors(new float[][] {x, x, y, y});
        Reordering plain = new QuotaReorderer(TABLES).apply(hits, QuotaPolicy.None.INSTANCE, new Diversity(0.7, 1));
        assertArrayEquals(new int[] {0, 2, 1, 3}, plain.order());
        assertTrue(plain.trace().step(1).diversified());
        assertNull(plain.trace().step(1).rule());
        // with a cap of 1 per 2 positions hit 2 (shop 1, as hit 0) cannot follow hit 0: the rule wins
        Reordering capped = new QuotaReorderer(TABLES).apply(hits, new ShopCap(1, 2), new Diversity(0.7, 1));
        assertArrayEquals(new int[] {0, 1, 2, 3}, capped.order());
        assertTrue(capped.quotaMet());
    }

    @Test
    public void rulesAndDiversityAreValidated() {
        MultinomialMTableTests.assertMessage(
                "one [cap] rule", () -> new Rules(List.of(new ShopCap(1, 2), new ShopCap(2, 5))));
        MultinomialMTableTests.assertMessage("got none", () -> new Rules(List.of(QuotaPolicy.None.INSTANCE)));
        MultinomialMTableTests.assertMessage("lambda", () -> new Diversity(1.5, 1));
        MultinomialMTableTests.assertMessage("lambda", () -> new Diversity(Double.NaN, 1));
        MultinomialMTableTests.assertMessage("duplicate_threshold", () -> new Diversity(0.7, 0));
        MultinomialMTableTests.assertMessage("duplicate_threshold", () -> new Diversity(0.7, 1.01));
        MultinomialMTableTests.assertMessage("depth", () -> new Diversity(0.7, 1, 0));
        FairTopK fair = new FairTopK(0.3, 0.1);
        ShopCap cap = new ShopCap(2, 10);
        ExposureShare share = new ExposureShare(0.3, 5);
        assertEquals(List.of(fair, cap, share), new Rules(List.of(share, cap, fair)).rules());
        assertEquals(cap, Rules.of(List.of(cap, ShopCap.NONE)));
        assertEquals(QuotaPolicy.None.INSTANCE, Rules.of(List.of(ShopCap.NONE)));
        assertEquals("[fair_topk,cap]", new Rules(List.of(cap, fair)).mode());
    }

    /**
     * The trace accounts for every position: a position that took the best-scored hit left is unmoved; one that took a
     * worse hit names a rule, the rules together, or diversity; a hit below its score rank was displaced by a position
     * above it that took a worse hit.
     */
    static void assertTraceAccounts(WindowHits hits, Reordering r, String where) {
        Trace t = r.trace();
        assertNotNull(where, t);
        int n = r.order().length;
        assertEquals(where, n, t.size());
        boolean[] taken = new boolean[n];
        int first = 0;
        for (int p = 0; p < n; p++) {
            while (first < n && taken[first]) {
                first++;
            }
            int rank = r.rankByScore()[r.order()[p]];
            taken[rank] = true;
            Trace.Step step = t.step(p);
            boolean tookBest = rank == first;
            assertEquals(
                    where + " position " + p + " " + step,
                    r.violates()[p],
                    step.gaveWay().isEmpty() == false);
            if (tookBest) {
                assertNull(where + " position " + p + " " + step, step.rule());
                assertFalse(where, step.byAllRules());
            } else {
                assertTrue(
                        where + " position " + p + " " + step,
                        step.rule() != null || step.byAllRules() || step.diversified() || step.duplicateOf() >= 0);
            }
        }
        for (int i = 0; i < n; i++) {
            int q = Trace.displacedAt(r, i);
            if (r.positions()[i] > r.rankByScore()[i]) {
                assertTrue(where, q >= 0 && q < r.positions()[i]);
            }
        }
    }
}
