package org.fairrescore.fairness;

/**
 * Reorders a window so that, at every prefix of length {@code r >= minPrefix}, no shop holds more than
 * {@code maxShare} of the prefix's exposure ({@code 1 / log2(1 + i)} at 1-based position {@code i}).
 *
 * <p>Greedy: each position takes the best-scored remaining hit whose shop stays within the share there. Before the
 * first constrained prefix a shop's exposure is checked against that prefix's total, since exposure only grows;
 * from it on, a shop that is not placed only loses share, so checking the placed shop suffices. When no remaining
 * hit fits (too few shops), the best remaining hit fills the position and the position is flagged.
 *
 * <p>The placement rule is exactly the share at every prefix: a shop's exposure at a prefix is its exposure after
 * its last placement, which the rule bounded by a total no larger than that prefix's.
 *
 * <p><b>DCG</b>: when the greedy holds the share everywhere, it is the lexicographically best ordering that does, but
 * not always the best DCG (a slightly worse hit early can let better hits rise; brute force finds such windows in
 * about 2 % of small random windows). So, as for the cap, the greedy result is the incumbent of
 * {@link CapReorderer}'s branch-and-bound over shop sequences, with this placement rule instead of the cap (swapping
 * two hits of one shop leaves every shop's exposure unchanged, so the exchange argument holds); the same budget and
 * tolerance apply, and {@link #solve} says when the result is proven DCG-optimal (always for up to 8 hits). When the
 * greedy cannot hold the share, its result stands, flagged, and no search runs; the greedy is not proven to detect
 * every window that some ordering could hold.
 *
 * <p>Shop heads are a bit set over score ranks ({@link RankedGroups}), so a position walks the heads in score order
 * without a priority queue.
 */
public final class ShareReorderer {

    private ShareReorderer() {}

    public static Reordering reorder(float[] scores, int[] groups, ExposureShare share) {
        return solve(scores, groups, share).reordering();
    }

    /** {@link #reorder}, with whether the result is proven DCG-optimal. */
    static DcgSearch.Outcome solve(float[] scores, int[] groups, ExposureShare share) {
        return solve(scores, groups, share, DcgSearch.budget(scores.length));
    }

    /** {@link #reorder} with an explicit search budget; {@code 0} gives the lexicographic greedy result. */
    static DcgSearch.Outcome solve(float[] scores, int[] groups, ExposureShare share, int budget) {
        final int n = scores.length;
        if (share.isActive() == false || n < share.minPrefix()) {
            final int[] byScore = RankedGroups.scoreOrder(scores);
            final int[] rankByScore = new int[n];
            for (int r = 0; r < n; r++) {
                rankByScore[byScore[r]] = r;
            }
            return new DcgSearch.Outcome(new Reordering(byScore, rankByScore, new boolean[n], true), true, 0);
        }
        final RankedGroups rg = RankedGroups.of(scores, groups);
        final double[] d = DcgSearch.discounts(n); // d[p] is the weight of 1-based position p + 1
        double firstTotal = 0;
        for (int p = 0; p < share.minPrefix(); p++) {
            firstTotal += d[p];
        }
        final double[] exposure = new double[rg.count()];
        final int[] groupOfRank = rg.groupOfRank;
        final long[] heads = rg.heads(); // each shop's best unplaced hit, walked in score order
        final int[] order = new int[n];
        final boolean[] violates = new boolean[n];
        final double limit = share.maxShare() + 1e-12; // tolerance for floating-point sums
        boolean met = true;
        double cumulative = 0;
        final double[] thresholds = new double[n];
        for (int p = 0; p < n; p++) {
            int position = p + 1;
            double w = d[p];
            cumulative += w;
            double total = position < share.minPrefix() ? firstTotal : cumulative;
            double threshold = limit * total - w; // a shop fits here when its exposure so far is at most this
            thresholds[p] = threshold;
            int chosen = RankedGroups.nextHead(heads, 0);
            final int best = chosen;
            while (chosen >= 0 && exposure[groupOfRank[chosen]] > threshold) {
                chosen = RankedGroups.nextHead(heads, chosen + 1);
            }
            if (chosen < 0) {
                // no shop fits: the best remaining hit fills the position
                chosen = best;
                violates[p] = true;
                met = false;
            }
            exposure[groupOfRank[chosen]] += w;
            rg.take(heads, chosen);
            order[p] = rg.byScore[chosen];
        }
        if (met == false) {
            return new DcgSearch.Outcome(new Reordering(order, rg.rankByScore, violates, false), false, 0);
        }
        DcgSearch search = new DcgSearch(rg, scores, thresholds, budget);
        boolean proven = search.run(order);
        int[] result = search.improved ? search.bestOrder() : order;
        return new DcgSearch.Outcome(new Reordering(result, rg.rankByScore, violates, true), proven, search.nodes);
    }
}
