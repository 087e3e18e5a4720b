package org.fairrescore.rescore;

/**
 * The blend of first-pass and semantic scores (the semantic score is the model's calibrated cosine,
 * {@link org.fairrescore.embed.CosineCalibration}). Every map here is fixed and shard-independent (no per-shard
 * min-max), so scores from different shards stay comparable when the coordinator merges them.
 */
public final class Blend {

    private Blend() {}

    /** Maps a non-negative first-pass score into [0, 1) with s / (s + k); monotone, so order is kept. */
    public static float firstPass(float score, float saturation) {
        if (score <= 0f || Float.isNaN(score)) {
            return 0f;
        }
        if (Float.isInfinite(score)) {
            return 1f;
        }
        return (float) (score / ((double) score + saturation));
    }

    /** (1 - w) * firstPass + w * semantic, in [0, 1]. */
    public static float blend(float normalisedFirstPass, float normalisedSemantic, float semanticWeight) {
        return (1f - semanticWeight) * normalisedFirstPass + semanticWeight * normalisedSemantic;
    }

    /**
     * Final scores for a window in its new order: 1 + blend, lowered just enough to be strictly decreasing. All of
     * them are at least 1 while hits below the window keep scores below 1, so those stay below the window.
     *
     * @param blendsInOrder the blend of the hit at each new position
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
