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
 * {@link #budget(int)} work units (expanded nodes plus list steps). Its result replaces the greedy one only when strictly better by more than
 * {@link #TOLERANCE} (relative), so ties keep the lexicographic order.
 *
 * <p><b>Guarantee</b>: when the window can meet the cap, the result meets it at every position and, whenever
 * {@link Outcome#dcgOptimal()} is true, no ordering that meets the cap has a DCG higher by more than
 * {@code TOLERANCE} times the window's DCG scale ({@code sum |score| / log2(1 + position)} in score order). That flag
 * is true when the search finished within its budget, which is certain for windows of at most
 * {@link #EXHAUSTIVE_MAX} hits (the whole search tree fits the budget), and for any window whose greedy result
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

    /** Relative DCG tolerance: a search result must beat the incumbent by more than this times the DCG scale. */
    static final double TOLERANCE = 1e-9;
    /** Windows up to this many hits are always searched to completion (see {@link #budget(int)}). */
    static final int EXHAUSTIVE_MAX = 8;
    /**
     * Work budget for windows of 9 to 50 hits (nodes plus list steps, some 10 to 30 ns each): an improvement step of a
     * few tens of microseconds at most, enough to finish the search on most windows of a few tens of hits. Beyond 50
     * hits the budget shrinks as {@code 100_000 / n}: the search, depth-first from the bottom of the window, rarely
     * finishes or finds much there, and it must not dominate the reorder's time.
     */
    static final int LARGE_BUDGET = 2_000;

    private CapReorderer() {}

    /**
     * The reordering and what is known of its DCG.
     *
     * @param dcgOptimal true when the search proved that no ordering meeting the cap has a better DCG (beyond the
     *                   tolerance); false when the cap cannot be met, or when the search ran out of budget
     * @param nodes      search nodes expanded
     */
    record Outcome(Reordering reordering, boolean dcgOptimal, int nodes) {}

    /**
     * Work budget of the search: each expanded node costs 1 plus the unplaced hits it walks (at most {@code n}).
     * For {@code n <= EXHAUSTIVE_MAX} it is {@code 2^17 * (n + 1)}: the tree of shop sequences has no more nodes than
     * the tree of all ordered prefixes of {@code n} distinct hits, {@code floor(e * n!) <= 109601 < 2^17} for
     * {@code n <= 8}, so those windows are always searched to completion. Larger windows get {@link #LARGE_BUDGET},
     * or {@code 100_000 / n} above 50 hits.
     */
    static int budget(int n) {
        return n <= EXHAUSTIVE_MAX ? (1 << 17) * (n + 1) : Math.min(LARGE_BUDGET, 100_000 / n);
    }

    /**
     * @param scores blended scores of the window's hits (any order)
     * @param groups shop group of each hit; hits without a shop must carry distinct group ids
     * @param cap    the cap to enforce
     */
    public static Reordering reorder(float[] scores, int[] groups, ShopCap cap) {
        return solve(scores, groups, cap).reordering();
    }

    /** {@link #reorder}, with whether the result is proven DCG-optimal. */
    static Outcome solve(float[] scores, int[] groups, ShopCap cap) {
        return solve(scores, groups, cap, budget(scores.length));
    }

    /**
     * {@link #reorder} with an explicit search budget; {@code 0} gives the lexicographic greedy result (flagged
     * optimal only when it reaches the bound of plain score order).
     */
    static Outcome solve(float[] scores, int[] groups, ShopCap cap, int budget) {
        if (scores.length != groups.length) {
            throw new IllegalArgumentException("scores and groups differ in length");
        }
        final int n = scores.length;
        if (!cap.isActive() || n <= 1) {
            final int[] byScore = scoreOrder(scores);
            final int[] rankByScore = new int[n];
            for (int r = 0; r < n; r++) {
                rankByScore[byScore[r]] = r;
            }
            return new Outcome(new Reordering(byScore, rankByScore, new boolean[n], true), true, 0);
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
            final Simulator simulator = maxSize > most ? null : new Simulator(rg.count(), w, n, maxSize);
            final int[] plan = new int[n];
            if (simulator == null || simulator.completes(remaining, labels, 0, limit, n, plan) == false) {
                // infeasible: plain greedy deferral is the fallback, flagged where it breaks the cap
                return new Outcome(new Reordering(order, rg.rankByScore, violates, false), false, 0);
            }
            // 2. feasible but plain deferral breaks it: the look-ahead
            Arrays.fill(violates, false);
            if (lookAhead(rg, limit, w, remaining, plan, simulator, labels, order, violates) == false && anyTrue(violates)) {
                // cannot happen while the simulator is exact; the degraded result is flagged where it breaks
                return new Outcome(new Reordering(order, rg.rankByScore, violates, false), false, 0);
            }
        }
        // 3. the DCG search, starting from the greedy incumbent
        Search search = new Search(rg, scores, limit, w, budget);
        boolean proven = search.run(order);
        int[] result = search.improved ? search.bestOrder() : order;
        return new Outcome(new Reordering(result, rg.rankByScore, violates, true), proven, search.nodes);
    }

    /**
     * Each position takes the best head under the cap, else the best head (flagged). Returns true when nothing was
     * flagged.
     */
    private static boolean plainGreedy(RankedGroups rg, int limit, int w, int[] labels, int[] order, boolean[] violates) {
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
        Simulator simulator,
        int[] placedGroup,
        int[] order,
        boolean[] violates
    ) {
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

    /** DCG discount of 0-based position {@code p}: {@code 1 / log2(p + 2)}. */
    static double discount(int p) {
        return ExposureShare.weight(p + 1);
    }

    private static volatile double[] discounts = new double[0];

    /** Discounts of positions {@code 0..n-1} and a trailing 0 (shared, read-only). */
    static double[] discounts(int n) {
        double[] d = discounts;
        if (d.length > n) {
            return d;
        }
        d = new double[Math.max(n + 1, 2 * d.length)];
        for (int p = 0; p < d.length - 1; p++) {
            d[p] = discount(p);
        }
        d[d.length - 1] = 0;
        discounts = d;
        return d;
    }

    /**
     * Depth-first branch-and-bound over shop sequences (see the class javadoc). Positions are filled in order; the
     * hits not yet placed are a doubly linked list over ranks (unlinked on the way down, relinked on the way back),
     * the shops' heads a bit set, and the cap state the counts of each shop among the previous {@code w - 1}
     * positions.
     */
    static final class Search {
        private final RankedGroups rg;
        private final int n;
        private final int limit;
        private final int w;
        private final int budget;
        private final double[] value; // score of each rank
        private final double[] d; // discounts of positions 0..n (d[n] only ever weighs the last unplaced hit, after every child)
        private final int[] next;
        private final int[] prev;
        private final long[] heads;
        private final int[] inWindow;
        private final double[] threshold; // share mode (else null): shop k may take position p iff exposure[k] <= threshold[p]
        private final double[] exposure;
        private final int[] labels;
        private int[] bestLabels;
        private double best;
        private double eps;
        int nodes;
        private int work;
        boolean improved;
        private boolean exhausted;

        /** A search under the cap. */
        Search(RankedGroups rg, float[] scores, int limit, int w, int budget) {
            this(rg, scores, limit, w, budget, null);
        }

        /**
         * A search under an exposure share (see {@link ShareReorderer}): shop {@code k} may take position {@code p}
         * when its exposure so far is at most {@code threshold[p]}, the placement rule of the share's greedy.
         */
        Search(RankedGroups rg, float[] scores, double[] threshold, int budget) {
            this(rg, scores, 0, 1, budget, threshold);
        }

        private Search(RankedGroups rg, float[] scores, int limit, int w, int budget, double[] threshold) {
            this.threshold = threshold;
            this.exposure = threshold == null ? null : new double[rg.count()];
            this.rg = rg;
            this.n = rg.byScore.length;
            this.limit = limit;
            this.w = w;
            this.budget = budget;
            this.value = new double[n];
            for (int r = 0; r < n; r++) {
                value[r] = scores[rg.byScore[r]];
            }
            this.d = discounts(n);
            this.next = new int[n + 1];
            this.prev = new int[n + 1];
            this.heads = rg.heads();
            this.inWindow = new int[rg.count()];
            this.labels = new int[n];
        }

        /** Searches from the incumbent {@code order}; returns true when the search proved the best found optimal. */
        boolean run(int[] order) {
            double incumbent = 0;
            for (int p = 0; p < n; p++) {
                incumbent += value[rg.rankByScore[order[p]]] * d[p];
            }
            double bound = 0;
            double scale = 0;
            for (int r = 0; r < n; r++) {
                bound += value[r] * d[r];
                scale += Math.abs(value[r]) * d[r];
            }
            best = incumbent;
            eps = TOLERANCE * scale;
            if (bound <= best + eps) {
                return true; // the greedy result reaches the bound of plain score order
            }
            // list of unplaced ranks with sentinel n
            for (int r = 0; r < n; r++) {
                next[r] = r + 1;
                prev[r] = r == 0 ? n : r - 1;
            }
            next[n] = 0;
            prev[n] = n - 1;
            dfs(0, 0, bound);
            return exhausted == false;
        }

        private void dfs(int p, double prefix, double bound) {
            if (p == n) {
                if (prefix > best + eps) {
                    best = prefix;
                    if (bestLabels == null) {
                        bestLabels = new int[n];
                    }
                    System.arraycopy(labels, 0, bestLabels, 0, n);
                    improved = true;
                }
                return;
            }
            if (work >= budget) {
                exhausted = true;
                return;
            }
            nodes++;
            work++;
            final int leaving = p - w + 1; // leaves the window of the next position
            final int leavingGroup = threshold == null && leaving >= 0 ? labels[leaving] : -1;
            final int[] groupOfRank = rg.groupOfRank;
            final int[] nextRank = rg.nextRank;
            // Child taking the i-th unplaced hit u_i: bound - sum_{j<i} (u_j - u_i) * (d[p+j] - d[p+j+1]), which
            // only falls as i grows. s and t accumulate sum u_j * delta_j and sum delta_j over j < i.
            double s = 0;
            double t = 0;
            int j = p;
            for (int r = next[n]; r != n; r = next[r], j++) {
                final double u = value[r];
                final int k = groupOfRank[r];
                if (RankedGroups.isHead(heads, r) && (threshold == null ? inWindow[k] < limit : exposure[k] <= threshold[p])) {
                    double childBound = bound - (s - u * t);
                    if (childBound <= best + eps) {
                        return;
                    }
                    // place rank r at p
                    next[prev[r]] = next[r];
                    prev[next[r]] = prev[r];
                    rg.take(heads, r);
                    labels[p] = k;
                    if (threshold == null) {
                        inWindow[k]++;
                        if (leavingGroup >= 0) {
                            inWindow[leavingGroup]--;
                        }
                        dfs(p + 1, prefix + u * d[p], childBound);
                        if (leavingGroup >= 0) {
                            inWindow[leavingGroup]++;
                        }
                        inWindow[k]--;
                    } else {
                        double saved = exposure[k]; // restored exactly, not by subtraction
                        exposure[k] = saved + d[p];
                        dfs(p + 1, prefix + u * d[p], childBound);
                        exposure[k] = saved;
                    }
                    int nr = nextRank[r];
                    if (nr >= 0) {
                        heads[nr >>> 6] &= ~(1L << nr);
                    }
                    heads[r >>> 6] |= 1L << r;
                    next[prev[r]] = r;
                    prev[next[r]] = r;
                    if (exhausted) {
                        return;
                    }
                }
                work++;
                double delta = d[j] - d[j + 1];
                s += u * delta;
                t += delta;
            }
        }

        /** The best ordering found: the k-th position of a shop takes its k-th best hit. */
        int[] bestOrder() {
            int[] cursor = rg.firstRank.clone();
            int[] order = new int[n];
            for (int p = 0; p < n; p++) {
                int k = bestLabels[p];
                int r = cursor[k];
                order[p] = rg.byScore[r];
                cursor[k] = rg.nextRank[r];
            }
            return order;
        }
    }

    /** Input indices sorted by score descending, ties by input index (a primitive sort of packed keys). */
    static int[] scoreOrder(float[] scores) {
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int bits = Float.floatToIntBits(scores[i] == 0f ? 0f : scores[i]); // -0 sorts as 0
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // order-preserving as a signed int
            keys[i] = ((long) ~sortable << 32) | i; // descending score, then ascending index
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * Decides whether the remaining hits can fill the remaining positions within the cap, by scheduling at each
     * position the shop with the most hits left among those under the cap (the classic exact rule for
     * "same item at most k times in any window" scheduling). Works on scratch copies; reused across calls.
     */
    static final class Simulator {
        private final int[] left;
        private final int[] count;
        private final int[] holdCount; // all zero between calls of windowsHold
        private final int[] ring;
        private final int[] schedule;
        private final int words; // 64-bit words of a bit set over groups
        private final long[] buckets; // row c: the groups with c hits left (rows 1..maxSize); all zero between calls
        private final int[] rowSize; // groups in each row; all zero between calls
        private final long[] rows; // bit c set when row c is not empty; all zero between calls
        private final boolean[] mark; // scratch of urgent(); all false between calls
        private final int[] diff; // scratch of resumes(); all zero between calls

        Simulator(int groups, int window, int total, int maxSize) {
            this.schedule = new int[total];
            this.left = new int[groups];
            this.count = new int[groups];
            this.holdCount = new int[groups];
            this.ring = new int[window - 1]; // an active cap has window >= 2
            this.words = (groups + 63) >>> 6;
            this.buckets = new long[(maxSize + 1) * words];
            this.rowSize = new int[maxSize + 1];
            this.rows = new long[(maxSize + 64) >>> 6];
            this.mark = new boolean[total];
            this.diff = new int[groups];
        }

        /**
         * The shop with the most hits left if it can no longer spare position {@code p} (placing any other shop
         * there leaves it fewer positions than hits, counting greedily its earliest possible positions from
         * {@code p + 1} on, which is the most it can get), else -1. A necessary condition only: it rules candidates
         * out without a simulation, never in.
         */
        int urgent(int[] remaining, int[] placed, int p, int limit, int w, int total) {
            int shop = -1;
            for (int k = 0; k < remaining.length; k++) {
                if (shop < 0 || remaining[k] > remaining[shop]) {
                    shop = k;
                }
            }
            final int need = remaining[shop];
            final int from = Math.max(0, p - w + 2);
            int count = 0; // the shop's positions among the w - 1 before the current one
            for (int q = from; q < p; q++) {
                if (placed[q] == shop) {
                    mark[q] = true;
                    count++;
                }
            }
            int slots = 0;
            int q = p + 1;
            for (; q < total && slots < need; q++) {
                if (count < limit) {
                    mark[q] = true;
                    slots++;
                    count++;
                }
                int out = q - w + 1;
                if (out >= 0 && mark[out]) {
                    count--;
                }
            }
            Arrays.fill(mark, from, q, false);
            return slots < need ? shop : -1;
        }

        /**
         * The schedule picks, at each position, the group with the most hits left among those under the cap there,
         * the lowest group id among ties: groups are kept in buckets by hits left (a bit set over groups per count),
         * so a pick scans down from the fullest bucket and skips only groups at the cap, instead of every group.
         *
         * @param remaining hits left per group (after the positions already placed)
         * @param placed    groups of the placed positions {@code [0, placedCount)}
         */
        boolean completes(int[] remaining, int[] placed, int placedCount, int limit, int total, int[] plan) {
            return simulate(remaining, placed, placedCount, limit, total, plan, false);
        }

        /**
         * {@link #completes} after position {@code placedCount - 1} took a shop other than the plan's there, the plan
         * still being a completion from that position. The simulation stops as soon as it is back in a state of the
         * old plan (the same hits left per shop and the same last {@code w - 1} shops at the same position): the old
         * plan's tail completes from there, so only the simulated stretch is written.
         */
        boolean resumes(int[] remaining, int[] placed, int placedCount, int limit, int total, int[] plan) {
            return simulate(remaining, placed, placedCount, limit, total, plan, true);
        }

        private boolean simulate(int[] remaining, int[] placed, int placedCount, int limit, int total, int[] plan, boolean splice) {
            final int groups = left.length;
            final int span = ring.length;
            final int words = this.words;
            final long[] buckets = this.buckets;
            System.arraycopy(remaining, 0, left, 0, groups);
            Arrays.fill(count, 0);
            int oldest = 0;
            int len = 0;
            for (int p = Math.max(0, placedCount - span); p < placedCount; p++) {
                ring[len++] = placed[p];
                count[placed[p]]++;
            }
            int differing = 0; // shops whose counts over [placedCount - 1, p) differ between simulation and old plan
            if (splice) {
                int was = plan[placedCount - 1];
                int now = placed[placedCount - 1];
                if (was != now) {
                    diff[now]++;
                    diff[was]--;
                    differing = 2;
                }
            }
            for (int k = 0; k < groups; k++) {
                int c = left[k];
                if (c > 0) {
                    buckets[c * words + (k >>> 6)] |= 1L << k;
                    if (rowSize[c]++ == 0) {
                        rows[c >>> 6] |= 1L << c;
                    }
                }
            }
            for (int p = placedCount; p < total; p++) {
                int pick = -1;
                scan:
                for (int c = highestRow(Integer.MAX_VALUE); c > 0; c = highestRow(c - 1)) {
                    for (int wi = 0, base = c * words; wi < words; wi++) {
                        long bits = buckets[base + wi];
                        while (bits != 0) {
                            int k = (wi << 6) + Long.numberOfTrailingZeros(bits);
                            if (count[k] < limit) {
                                pick = k;
                                break scan;
                            }
                            bits &= bits - 1;
                        }
                    }
                }
                if (pick < 0) {
                    clearBuckets(groups);
                    if (splice) {
                        Arrays.fill(diff, 0);
                    }
                    return false;
                }
                int c = left[pick]--;
                buckets[c * words + (pick >>> 6)] &= ~(1L << pick);
                if (--rowSize[c] == 0) {
                    rows[c >>> 6] &= ~(1L << c);
                }
                if (c > 1) {
                    buckets[(c - 1) * words + (pick >>> 6)] |= 1L << pick;
                    if (rowSize[c - 1]++ == 0) {
                        rows[(c - 1) >>> 6] |= 1L << (c - 1);
                    }
                }
                schedule[p] = pick;
                if (len == span) { // the oldest position leaves the window the next position sees
                    count[ring[oldest]]--;
                    oldest = oldest + 1 == span ? 0 : oldest + 1;
                    len--;
                }
                count[pick]++;
                int slot = oldest + len;
                ring[slot >= span ? slot - span : slot] = pick;
                len++;
                if (splice) {
                    int was = plan[p];
                    if (was != pick) {
                        differing += diff[pick]++ == 0 ? 1 : (diff[pick] == 0 ? -1 : 0);
                        differing += diff[was]-- == 0 ? 1 : (diff[was] == 0 ? -1 : 0);
                    }
                    if (differing == 0 && sameTail(placed, placedCount, plan, p, span)) {
                        // back on the old plan: its tail from p + 1 completes the window
                        clearBuckets(groups);
                        System.arraycopy(schedule, placedCount, plan, placedCount, p + 1 - placedCount);
                        return true;
                    }
                }
            }
            if (splice) {
                Arrays.fill(diff, 0);
            }
            System.arraycopy(schedule, placedCount, plan, placedCount, total - placedCount);
            return true;
        }

        /** Whether the simulated and old-plan sequences agree on the {@code span} positions ending at {@code p}. */
        private boolean sameTail(int[] placed, int placedCount, int[] plan, int p, int span) {
            for (int q = Math.max(0, p - span + 1); q <= p; q++) {
                int simulated = q >= placedCount ? schedule[q] : placed[q];
                int old = q >= placedCount - 1 ? plan[q] : placed[q];
                if (simulated != old) {
                    return false;
                }
            }
            return true;
        }

        private void clearBuckets(int groups) {
            for (int k = 0; k < groups; k++) {
                if (left[k] > 0) {
                    buckets[left[k] * words + (k >>> 6)] = 0;
                    rowSize[left[k]] = 0;
                }
            }
            Arrays.fill(rows, 0);
        }

        /** The highest non-empty row at most {@code c}, or -1. */
        private int highestRow(int c) {
            if (c < 0) {
                return -1;
            }
            int word = Math.min(c >>> 6, rows.length - 1);
            long bits = rows[word];
            if (word == c >>> 6) {
                bits &= -1L >>> (63 - (c & 63));
            }
            while (true) {
                if (bits != 0) {
                    return (word << 6) + 63 - Long.numberOfLeadingZeros(bits);
                }
                if (--word < 0) {
                    return -1;
                }
                bits = rows[word];
            }
        }

        /**
         * Cheapest sufficient test: swaps the plan's positions {@code p} and {@code j}; only the windows that see
         * either position can change, so only those are checked. On success the plan is updated.
         */
        private boolean swaps(int[] plan, int[] placed, int p, int j, int limit, int total) {
            final int span = ring.length;
            int a = plan[p];
            int b = plan[j];
            plan[p] = b;
            plan[j] = a;
            boolean ok = windowsHold(plan, placed, p, Math.min(total - 1, p + span), limit)
                && windowsHold(plan, placed, Math.max(p + span + 1, j), Math.min(total - 1, j + span), limit);
            if (ok == false) {
                plan[p] = a;
                plan[j] = b;
            }
            return ok;
        }

        /** Whether every position in [lo, hi] holds the cap given the placed prefix [0, p) and plan[p..]. */
        private boolean windowsHold(int[] plan, int[] placed, int lo, int hi, int limit) {
            if (lo > hi) {
                return true;
            }
            final int span = ring.length;
            final int p0 = firstPlanned;
            final int start = Math.max(0, lo - span);
            for (int q = start; q < lo; q++) {
                holdCount[q < p0 ? placed[q] : plan[q]]++;
            }
            boolean ok = true;
            int q = lo;
            for (; q <= hi; q++) {
                int g = q < p0 ? placed[q] : plan[q];
                if (holdCount[g] >= limit) {
                    ok = false;
                    break;
                }
                holdCount[g]++;
                int leaving = q - span;
                if (leaving >= start) {
                    holdCount[leaving < p0 ? placed[leaving] : plan[leaving]]--;
                }
            }
            // undo: the positions still counted are [max(start, q - span), q)
            for (int r = Math.max(start, q - span); r < q; r++) {
                holdCount[r < p0 ? placed[r] : plan[r]]--;
            }
            return ok;
        }

        /** First position not yet placed, set by {@link #repairs} for the window checks. */
        private int firstPlanned;

        /**
         * Cheap sufficient test: puts shop {@code k} at position {@code p} and its next planned position's hit moves
         * up, the rest of the plan shifting down by one. Only positions up to that hit plus a cap window can change
         * their window's contents, so only those are checked. On success the plan is updated.
         */
        boolean repairs(int[] plan, int[] placed, int p, int k, int limit, int total) {
            int j = p;
            while (j < total && plan[j] != k) {
                j++;
            }
            if (j == total) {
                return false;
            }
            firstPlanned = p;
            if (swaps(plan, placed, p, j, limit, total)) {
                return true;
            }
            final int span = ring.length;
            final int end = Math.min(total - 1, j + span);
            Arrays.fill(count, 0);
            // candidate sequence for positions p..end: k, plan[p..j-1], plan[j+1..end]
            int from = Math.max(0, p - span);
            for (int q = from; q < p; q++) {
                count[placed[q]]++;
            }
            boolean ok = true;
            int q = p;
            for (; q <= end; q++) {
                int g = q == p ? k : (q <= j ? plan[q - 1] : plan[q]);
                if (count[g] >= limit) {
                    ok = false;
                    break;
                }
                count[g]++;
                int leaving = q - span;
                if (leaving >= from) {
                    int lg = leaving < p ? placed[leaving] : (leaving == p ? k : (leaving <= j ? plan[leaving - 1] : plan[leaving]));
                    count[lg]--;
                }
            }
            if (ok) {
                System.arraycopy(plan, p, plan, p + 1, j - p);
                plan[p] = k;
            }
            return ok;
        }
    }
}
