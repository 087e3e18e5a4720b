package org.fairrescore.fairness;

/**
 * {@link DcgSearch}'s branch-and-bound on DCG for several rules: depth-first over label sequences (a label's k-th
 * position takes its k-th best hit: swapping two hits of one label changes no rule's state, and sorting them by score
 * cannot lower DCG), children the labels' best unplaced hits in score order that every rule allows
 * ({@link RuleState#allows}: the rules' own look-aheads only prune states no completion can save), the same bound,
 * tolerance and budget. A leaf meets every rule at every position. Improves on the incumbent only when strictly better
 * by more than the tolerance.
 */
final class RulesDcgSearch {

    private final RuleModel model;
    private final RuleState state;
    private final int mask;
    private final int budget;
    private final int n;
    private final double[] value;
    private final double[] d;
    private final int[] next;
    private final int[] prev;
    private final long[] heads;
    private final int[] labels;
    private int[] bestLabels;
    private double best;
    private double eps;
    private int work;
    int nodes;
    boolean improved;
    private boolean exhausted;

    /** @param state an empty state of the window's rules */
    RulesDcgSearch(RuleModel model, RuleState state, int mask, int budget) {
        this.model = model;
        this.state = state;
        this.mask = mask;
        this.budget = budget;
        this.n = model.n;
        this.value = new double[n];
        for (int r = 0; r < n; r++) {
            value[r] = model.scores[model.ranked.byScore[r]];
        }
        this.d = DcgSearch.discounts(n);
        this.next = new int[n + 1];
        this.prev = new int[n + 1];
        this.heads = model.ranked.heads();
        this.labels = new int[n];
    }

    /** Searches from the incumbent {@code order}; true when the best found is proven optimal. */
    boolean run(int[] order) {
        double incumbent = 0;
        for (int p = 0; p < n; p++) {
            incumbent += value[model.ranked.rankByScore[order[p]]] * d[p];
        }
        double bound = 0;
        double scale = 0;
        for (int r = 0; r < n; r++) {
            bound += value[r] * d[r];
            scale += Math.abs(value[r]) * d[r];
        }
        best = incumbent;
        eps = DcgSearch.TOLERANCE * scale;
        if (bound <= best + eps) {
            return true;
        }
        if (budget <= 0) {
            return false;
        }
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
        final int[] nextRank = model.ranked.nextRank;
        double s = 0;
        double t = 0;
        int j = p;
        for (int r = next[n]; r != n; r = next[r], j++) {
            final double u = value[r];
            final int label = model.labelOfRank[r];
            if (RankedGroups.isHead(heads, r) && state.allows(label, mask)) {
                double childBound = bound - (s - u * t);
                if (childBound <= best + eps) {
                    return;
                }
                next[prev[r]] = next[r];
                prev[next[r]] = prev[r];
                model.ranked.take(heads, r);
                labels[p] = label;
                state.place(label);
                dfs(p + 1, prefix + u * d[p], childBound);
                state.undo();
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

    /** The best ordering found: the k-th position of a label takes its k-th best hit. */
    int[] bestOrder() {
        int[] cursor = model.ranked.firstRank.clone();
        int[] order = new int[n];
        for (int p = 0; p < n; p++) {
            int label = bestLabels[p];
            int r = cursor[label];
            order[p] = model.ranked.byScore[r];
            cursor[label] = model.ranked.nextRank[r];
        }
        return order;
    }
}
