package org.fairrescore.rescore;

import org.fairrescore.exposure.ExposureView;
import org.fairrescore.fairness.Reordering;

/**
 * One scored and reordered rescore window, indexed by the hit's first-pass rank {@code i}; kept on the context so
 * explain can tell each hit's sub-scores and quota decision. {@code groups}: each hit's value of the protected groups'
 * field ({@code group_fair_topk}), or null when no rule reads one.
 */
record ScoredWindow(
        int[] docs,
        float[] firstPass,
        float[] normalisedFirstPass,
        float[] cosine,
        DocumentVectors.Window vectors,
        float[] blend,
        String[] shops,
        boolean[] protectedHit,
        Reordering reordering,
        int[] positions,
        float[] finalScores,
        Exposure exposure,
        String[] groups) {

    /**
     * The amortized exposure mode's part of the window (null when the mode is off): the view the boosts were read
     * from, each hit's boost and its blend with the boost (what the quota ordered).
     */
    record Exposure(ExposureView view, float[] boosts, float[] boosted) {}

    /** First-pass rank of a top-level doc id in this window, or -1. */
    int indexOf(int doc) {
        for (int i = 0; i < docs.length; i++) {
            if (docs[i] == doc) {
                return i;
            }
        }
        return -1;
    }

    /** Final score of first-pass hit {@code i}. */
    float finalScore(int i) {
        return finalScores[positions[i]];
    }
}
