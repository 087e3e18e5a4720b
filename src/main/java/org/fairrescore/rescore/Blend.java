package org.fairrescore.rescore;

/**
 * The blend of first-pass and semantic scores (the semantic score is the model's calibrated cosine,
 * {@link org.fairrescore.model.CosineCalibration}). Every map here is fixed and shard-independent (no per-shard
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
}
