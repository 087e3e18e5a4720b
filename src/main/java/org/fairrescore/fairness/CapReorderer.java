package org.fairrescore.fairness;

import java.util.Arrays;

/**
 * Reorders a window so that no shop holds more than {@code maxPerShop} of any {@code window} consecutive positions,
 * with the best DCG ({@code sum score / log2(1 + position)}, 1-based positions) that the search can prove.
 *
 * <p><b>Greedy with look-ahead</b> (the incumbent): each position takes the best-scored remaining hit whose shop is
 * still under the cap there <em>and</em> after which the rest of the window can still be arranged within the cap.
 * This is the lexicographically best ordering that meets the cap. When plain greedy deferral (best hit under the cap
 * at each position, no look-ahead) already meets the cap everywhere, it <em>is</em> that ordering (its own tail proves
 * every pick completable), so the look-ahead only runs when plain deferral breaks the cap somewhere.
 *
 * <p><b>Branch-and-bound on DCG</b>: the lexicographic order is not always DCG-optimal (a slightly worse hit early
 * can let two much better hits rise). When the window can meet the cap, an exact depth-first search over shop
 * sequences improves on the incumbent: by an exchange argument some DCG-optimal ordering gives a shop's k-th position
 * to its k-th best hit (swapping two hits of one shop keeps the cap and sorting them by score cannot lower DCG), so
 * only the sequence of shops is searched. A node's bound is its prefix DCG plus the remaining hits in score order
 * against the remaining discounts (admissible by the rearrangement inequality), computed incrementally from the
 * parent's bound; children are tried best head first and, as their bounds only fall along that order, cut at the
 * first one that cannot beat the incumbent by more than the tolerance. The search spends at most
 * {@link DcgSearch#budget(int)} work units (expanded nodes plus list steps). Its result replaces the greedy one only when strictly better by more than
 * {@link DcgSearch#TOLERANCE} (relative), so ties keep the lexicographic order.
 *
 * <p><b>Guarantee</b>: when the window can meet the cap, the result meets it at every position and, whenever
 * {@link DcgSearch.Outcome#dcgOptimal()} is true, no ordering that meets the cap has a DCG higher by more than
 * {@code TOLERANCE} times the window's DCG scale ({@code sum |score| / log2(1 + position)} in score order). That flag
 * is true when the search finished within its budget, which is certain for windows of at most
 * {@link DcgSearch#EXHAUSTIVE_MAX} hits (the whole search tree fits the budget), and for any window whose greedy result
 * already reaches the bound of plain score order (for example when nothing had to move). On larger windows the
 * search is a bounded improvement step: the result is never worse than the lexicographic greedy one.
 *
 * <p><b>Infeasible windows</b> (a shop owns too much of the window for the cap to hold): plain greedy deferral, each
 * position taking the best hit whose shop is under the cap, else the best remaining hit (flagged in
 * {@link Reordering#violates()}), so the top stays within the cap for as long as the hits allow and the excess sinks
 * to the bottom. No DCG search runs there.
 *
 * <p>Within one shop, hits always keep their score order (ties by input index). Pure Java, primitive arrays only.
 */
public final class CapReorderer {

    private CapReorderer() {}

    /**
     * @param scores blended scores of the window's hits (any order)
     * @param groups shop group of each hit; hits without a shop must carry distinct group ids
     * @param cap    the cap to enforce
     */
    public static Reordering reorder(float[] scores, int[] groups, ShopCap cap) {
        return solve(scores, groups, cap).reordering();
    }

    /** {@link #reorder}, with whether the result is proven DCG-optimal. */
    static DcgSearch.Outcome solve(float[] scores, int[] groups, ShopCap cap) {
        return solve(scores, groups, cap, DcgSearch.budget(scores.length));
    }

    /**
     * {@link #reorder} with an explicit search budget; {@code 0} gives the lexicographic greedy result (flagged
     * optimal only when it reaches the bound of plain score order).
     */
    static DcgSearch.Outcome solve(float[] scores, int[] groups, ShopCap cap, int budget) {
        if (scores.length != groups.length) {
            throw new IllegalArgumentException("scores and groups differ in length");
        }
        final int n = scores.length;
        if (!cap.isActive() || n <= 1) {
            final int[] byScore = RankedGroups.scoreOrder(scores);
            final int[] rankByScore = new int[n];
            for (int r = 0; r < n; r++) {
                rankByScore[byScore[r]] = r;
            }
            return new DcgSearch.Outcome(new Reordering(byScore, rankByScore, new boolean[n], true), true, 0);
        }
        final RankedGroups rg = RankedGroups.of(scores, groups);
        final int limit = cap.maxPerShop();
        final int w = cap.window();

        // 1. plain greedy deferral; when it meets the cap it is the look-ahead result too
        final int[] labels = new int[n];
        final int[] order = new int[n];
        final boolean[] violates = new boolean[n];
        boolean clean = plainGreedy(rg, limit, w, labels, order, violates);
        if (clean == false) {
            final int[] remaining = rg.size.clone();
            // a shop can hold at most limit * floor(n / w) + min(limit, n mod w) positions: a quick necessary test
            final int most = limit * (n / w) + Math.min(limit, n % w);
            int maxSize = 0;
            for (int size : remaining) {
                maxSize = Math.max(maxSize, size);
            }
            final CapFeasibility simulator = maxSize > most ? null : new CapFeasibility(rg.count(), w, n, maxSize);
            final int[] plan = new int[n];
            if (simulator == null || simulator.completes(remaining, labels, 0, limit, n, plan) == false) {
                // infeasible: plain greedy deferral is the fallback, flagged where it breaks the cap
                return new DcgSearch.Outcome(new Reordering(order, rg.rankByScore, violates, false), false, 0);
            }
            // 2. feasible but plain deferral breaks it: the look-ahead
            Arrays.fill(violates, false);
            if (lookAhead(rg, limit, w, remaining, plan, simulator, labels, order, violates) == false
                    && anyTrue(violates)) {
                // cannot happen while the simulator is exact; the degraded result is flagged where it breaks
                return new DcgSearch.Outcome(new Reordering(order, rg.rankByScore, violates, false), false, 0);
            }
        }
        // 3. the DCG search, starting from the greedy incumbent
        DcgSearch search = new DcgSearch(rg, scores, limit, w, budget);
        boolean proven = search.run(order);
        int[] result = search.improved ? search.bestOrder() : order;
        return new DcgSearch.Outcome(new Reordering(result, rg.rankByScore, violates, true), proven, search.nodes);
    }

    /**
     * Each position takes the best head under the cap, else the best head (flagged). Returns true when nothing was
     * flagged.
     */
    private static boolean plainGreedy(
            RankedGroups rg, int limit, int w, int[] labels, int[] order, boolean[] violates) {
        final int n = order.length;
        final long[] heads = rg.heads();
        final int[] inWindow = new int[rg.count()]; // occurrences among the previous w-1 positions
        final int[] groupOfRank = rg.groupOfRank;
        boolean clean = true;
        for (int p = 0; p < n; p++) {
            if (p >= w) {
                inWindow[labels[p - w]]--;
            }
            int r = RankedGroups.nextHead(heads, 0);
            final int best = r;
            while (r >= 0 && inWindow[groupOfRank[r]] >= limit) {
                r = RankedGroups.nextHead(heads, r + 1);
            }
            if (r < 0) {
                r = best;
                violates[p] = true;
                clean = false;
            }
            int k = groupOfRank[r];
            rg.take(heads, r);
            order[p] = rg.byScore[r];
            labels[p] = k;
            inWindow[k]++;
        }
        return clean;
    }

    /**
     * Each position takes, among heads under the cap in score order, the first after which the window can still be
     * completed: the plan already puts its shop here, or a swap or shift of the plan makes room, or a fresh
     * simulation finds a completion. Returns false if at some position none could (the simulator's invariant
     * broken); that position and the rest then fall back to plain deferral, flagged where they break the cap.
     */
    private static boolean lookAhead(
            RankedGroups rg,
            int limit,
            int w,
            int[] remaining,
            int[] plan,
            CapFeasibility simulator,
            int[] placedGroup,
            int[] order,
            boolean[] violates) {
        final int n = order.length;
        final long[] heads = rg.heads();
        final int[] inWindow = new int[rg.count()];
        final int[] groupOfRank = rg.groupOfRank;
        boolean feasible = true;
        for (int p = 0; p < n; p++) {
            if (p >= w) {
                inWindow[placedGroup[p - w]]--;
            }
            int chosen = -1;
            if (feasible) {
                int urgent = -2; // unknown yet: the shop that cannot leave this position to another, or -1
                for (int r = RankedGroups.nextHead(heads, 0); r >= 0; r = RankedGroups.nextHead(heads, r + 1)) {
                    int k = groupOfRank[r];
                    if (inWindow[k] >= limit) {
                        continue;
                    }
                    if (plan[p] == k || simulator.repairs(plan, placedGroup, p, k, limit, n)) {
                        chosen = r;
                        break;
                    }
                    if (urgent == -2) {
                        urgent = simulator.urgent(remaining, placedGroup, p, limit, w, n);
                    }
                    if (urgent >= 0 && urgent != k) {
                        continue; // placing k here leaves the urgent shop too few positions: no completion
                    }
                    placedGroup[p] = k;
                    remaining[k]--;
                    boolean ok = simulator.resumes(remaining, placedGroup, p + 1, limit, n, plan);
                    remaining[k]++;
                    if (ok) {
                        plan[p] = k;
                        chosen = r;
                        break;
                    }
                }
                if (chosen < 0) {
                    feasible = false;
                }
            }
            if (chosen < 0) {
                int best = RankedGroups.nextHead(heads, 0);
                chosen = best;
                while (chosen >= 0 && inWindow[groupOfRank[chosen]] >= limit) {
                    chosen = RankedGroups.nextHead(heads, chosen + 1);
                }
                if (chosen < 0) {
                    chosen = best;
                    violates[p] = true;
                }
            }
            int k = groupOfRank[chosen];
            rg.take(heads, chosen);
            remaining[k]--;
            order[p] = rg.byScore[chosen];
            placedGroup[p] = k;
            inWindow[k]++;
        }
        return feasible;
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }
}
