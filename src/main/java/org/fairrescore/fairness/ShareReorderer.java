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
 * <p>When the share holds everywhere, the result is the lexicographically best ordering that holds it (checked by
 * brute force in the tests). It is <em>not</em> always the best DCG among them: as with the cap, a slightly worse hit
 * early can let better hits rise (brute force finds such windows in about 2 % of small random windows that hold the
 * share). Unlike {@link CapReorderer}, no DCG search runs here.
 *
 * <p>Shop heads are a bit set over score ranks ({@link RankedGroups}), so a position walks the heads in score order
 * without a priority queue.
 */
public final class ShareReorderer {

    private ShareReorderer() {}

    public static Reordering reorder(float[] scores, int[] groups, ExposureShare share) {
        final int n = scores.length;
        if (share.isActive() == false || n < share.minPrefix()) {
            final int[] byScore = CapReorderer.scoreOrder(scores);
            final int[] rankByScore = new int[n];
            for (int r = 0; r < n; r++) {
                rankByScore[byScore[r]] = r;
            }
            return new Reordering(byScore, rankByScore, new boolean[n], true);
        }
        final RankedGroups rg = RankedGroups.of(scores, groups);
        final double[] d = CapReorderer.discounts(n); // d[p] is the weight of 1-based position p + 1
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
        for (int p = 0; p < n; p++) {
            int position = p + 1;
            double w = d[p];
            cumulative += w;
            double total = position < share.minPrefix() ? firstTotal : cumulative;
            double threshold = limit * total - w; // a shop fits here when its exposure so far is at most this
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
        return new Reordering(order, rg.rankByScore, violates, met);
    }
}
