package org.fairrescore.fairness;

/**
 * Depth-first branch-and-bound on DCG over shop sequences (why and what it guarantees: {@link CapReorderer}), with the
 * search budget and the DCG discounts it shares with {@link ShareReorderer}. Positions are filled in order; the
 * hits not yet placed are a doubly linked list over ranks (unlinked on the way down, relinked on the way back),
 * the shops' heads a bit set, and the cap state the counts of each shop among the previous {@code w - 1}
 * positions.
 */
final class DcgSearch {

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

    private final RankedGroups rg;
    private final int n;
    private final int limit;
    private final int w;
    private final int budget;
    private final double[] value; // score of each rank
    private final double[]
            d; // discounts of positions 0..n (d[n] only ever weighs the last unplaced hit, after every child)
    private final int[] next;
    private final int[] prev;
    private final long[] heads;
    private final int[] inWindow;
    private final double[]
            threshold; // share mode (else null): shop k may take position p iff exposure[k] <= threshold[p]
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
    DcgSearch(RankedGroups rg, float[] scores, int limit, int w, int budget) {
        this(rg, scores, limit, w, budget, null);
    }

    /**
     * A search under an exposure share (see {@link ShareReorderer}): shop {@code k} may take position {@code p}
     * when its exposure so far is at most {@code threshold[p]}, the placement rule of the share's greedy.
     */
    DcgSearch(RankedGroups rg, float[] scores, double[] threshold, int budget) {
        this(rg, scores, 0, 1, budget, threshold);
    }

    private DcgSearch(RankedGroups rg, float[] scores, int limit, int w, int budget, double[] threshold) {
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
            if (RankedGroups.isHead(heads, r)
                    && (threshold == null ? inWindow[k] < limit : exposure[k] <= threshold[p])) {
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
