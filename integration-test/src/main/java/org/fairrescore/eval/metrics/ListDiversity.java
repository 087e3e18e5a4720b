package org.fairrescore.eval.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How varied a result page is, from its hits' document vectors and categories, with the definitions of the offline
 * prototype ({@code src/test/java/org/fairrescore/fairness/DiversityEval.java}): intra-list similarity (mean
 * pairwise cosine), distinct categories, and the near-duplicate rate (hits whose cosine to a hit ranked above them
 * reaches a threshold). Vectors are normalised here, so the stored vectors' scale does not matter.
 */
public final class ListDiversity {

    /** The cosine from which a hit counts as a near duplicate of a higher one (the plugin's suggested threshold). */
    public static final double NEAR_DUPLICATE = 0.95;

    private ListDiversity() {}

    /** Cosine of two vectors of the same length; fails on a zero vector (it has no direction to compare). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        if (aa == 0 || bb == 0) {
            throw new IllegalArgumentException("a zero vector has no cosine");
        }
        return dot / Math.sqrt(aa * bb);
    }

    /** Mean cosine over every unordered pair of the list; NaN with fewer than two vectors (no pair). */
    public static double intraListSimilarity(List<float[]> ranked) {
        int n = ranked.size();
        if (n < 2) {
            return Double.NaN;
        }
        double sum = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                sum += cosine(ranked.get(a), ranked.get(b));
            }
        }
        return sum / (n * (n - 1) / 2.0);
    }

    /** Distinct categories; a hit without one (null) counts as a category of its own, as in the prototype. */
    public static int distinctCategories(List<String> categories) {
        Set<String> seen = new HashSet<>();
        int uncategorised = 0;
        for (String c : categories) {
            if (c == null) {
                uncategorised++;
            } else {
                seen.add(c);
            }
        }
        return seen.size() + uncategorised;
    }

    /**
     * The share of the ranked hits whose cosine to some hit ranked above them is at least {@code threshold} (the
     * first hit never is one); NaN for an empty list.
     */
    public static double nearDuplicateRate(List<float[]> ranked, double threshold) {
        if (ranked.isEmpty()) {
            return Double.NaN;
        }
        int duplicates = 0;
        for (int i = 1; i < ranked.size(); i++) {
            for (int above = 0; above < i; above++) {
                if (cosine(ranked.get(i), ranked.get(above)) >= threshold) {
                    duplicates++;
                    break;
                }
            }
        }
        return duplicates / (double) ranked.size();
    }
}
