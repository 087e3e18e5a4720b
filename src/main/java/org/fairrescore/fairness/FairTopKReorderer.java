package org.fairrescore.fairness;

/**
 * FA*IR's re-ranking (Zehlike et al. 2017): walking down the window, a position takes the best protected hit when the
 * prefix would otherwise hold fewer protected hits than the m-table demands, and the better of the best protected
 * and best unprotected hit otherwise. When protected hits run out before the table is met, the best remaining hit
 * fills the position and the position is flagged.
 */
public final class FairTopKReorderer {

    private FairTopKReorderer() {}

    /**
     * @param scores    blended scores of the window's hits
     * @param protectedHit whether each hit belongs to the protected group
     * @param minimums  the (adjusted) m-table for k = window length: {@code minimums[i]} protected hits in the top i+1
     */
    public static Reordering reorder(float[] scores, boolean[] protectedHit, int[] minimums) {
        final int n = scores.length;
        if (minimums.length < n) {
            throw new IllegalArgumentException("m-table has " + minimums.length + " entries for a window of " + n);
        }
        final int[] byScore = RankedGroups.scoreOrder(scores);
        final int[] rankByScore = new int[n];
        for (int r = 0; r < n; r++) {
            rankByScore[byScore[r]] = r;
        }
        int[] prot = new int[n];
        int[] other = new int[n];
        int protCount = 0;
        int otherCount = 0;
        for (int i : byScore) {
            if (protectedHit[i]) {
                prot[protCount++] = i;
            } else {
                other[otherCount++] = i;
            }
        }
        int pi = 0;
        int oi = 0;
        int placedProtected = 0;
        final int[] order = new int[n];
        final boolean[] violates = new boolean[n];
        for (int p = 0; p < n; p++) {
            boolean needProtected = placedProtected < minimums[p];
            boolean takeProtected;
            if (pi == protCount) {
                takeProtected = false;
                violates[p] = needProtected;
            } else if (oi == otherCount || needProtected) {
                takeProtected = true;
            } else {
                int a = prot[pi];
                int b = other[oi];
                takeProtected = scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
            }
            if (takeProtected) {
                order[p] = prot[pi++];
                placedProtected++;
            } else {
                order[p] = other[oi++];
            }
        }
        boolean met = true;
        for (boolean v : violates) {
            met &= v == false;
        }
        return new Reordering(order, rankByScore, violates, met);
    }
}
