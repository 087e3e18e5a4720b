package org.fairrescore.model;

import java.util.Locale;

/**
 * Where a model's cosines lie, so that the blend can read them on one scale whatever the model: {@code unrelated} is
 * the mean cosine of a query and a random document of a catalog, {@code related} the mean cosine of a query and its
 * best match. Models differ a lot here (MiniLM: about 0.15 and 0.72; bge-small-en: about 0.50 and 0.81, its cosines
 * crowd into the top of the range), so a fixed map of the cosine gave one model's semantic score a third of another's
 * spread. Both are constants of the model (the manifest's {@code cosine_calibration}), measured once; they are the same
 * on every shard, so blended scores stay comparable when the coordinator merges shards.
 *
 * @param unrelated the cosine that maps to semantic score 0
 * @param related   the cosine that maps to semantic score 1
 */
public record CosineCalibration(float unrelated, float related) {

    /** For a model with no calibration: (1 + cosine) / 2, the whole range of the cosine. */
    public static final CosineCalibration FULL_RANGE = new CosineCalibration(-1f, 1f);

    public CosineCalibration {
        if ((unrelated >= -1f && related <= 1f && unrelated < related) == false) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "needs -1 <= unrelated < related <= 1, got unrelated %s and related %s",
                    unrelated,
                    related));
        }
    }

    /** The semantic score of a cosine: its place between {@code unrelated} (0) and {@code related} (1), clipped to [0, 1]. */
    public float semantic(float cosine) {
        float s = (cosine - unrelated) / (related - unrelated);
        return s <= 0f || Float.isNaN(s) ? 0f : Math.min(1f, s);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "(cosine - %s) / (%s - %s)", unrelated, related, unrelated);
    }
}
