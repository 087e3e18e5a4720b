package org.fairrescore.fairness;

/**
 * A window placed under a quota: the new order and the score of each position.
 *
 * @param reordering    the order and what the quota did at each position
 * @param scores        the score of each position in the new order: 1 + blend, lowered just enough to be strictly
 *                      decreasing (see {@link #windowScores})
 * @param protectedHits whether each hit (window order) carries the protected value, or null when the policy reads none
 */
public record Placement(Reordering reordering, float[] scores, boolean[] protectedHits) {

    /**
     * Final scores for a window in its new order: 1 + blend, lowered just enough to be strictly decreasing. All of
     * them are at least 1 while hits below the window keep scores below 1, so those stay below the window.
     *
     * @param blendsInOrder the blend (in [0, 1]) of the hit at each new position
     */
    public static float[] windowScores(float[] blendsInOrder) {
        int n = blendsInOrder.length;
        float[] scores = new float[n];
        float previous = Float.POSITIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            float s = 1f + blendsInOrder[p];
            if (s >= previous) {
                s = Math.nextDown(previous);
            }
            scores[p] = s;
            previous = s;
        }
        if (n > 0 && scores[n - 1] < 1f) {
            // Long runs of (near) ties pushed the tail under 1: spread the window evenly over [1, top] instead,
            // which keeps the order, strict decrease and the gap to hits below the window.
            float top = Math.min(2f, Math.max(scores[0], 1f + 2f * n * Math.ulp(2f)));
            for (int p = 0; p < n; p++) {
                scores[p] = n == 1 ? top : top - (top - 1f) * p / (n - 1);
            }
        }
        return scores;
    }
}
