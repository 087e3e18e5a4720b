package org.fairrescore.fairness;

import java.util.Locale;

/**
 * MMR diversity inside the rules (see {@link QuotaReorderer#apply(WindowHits, QuotaPolicy, Diversity)}): while filling
 * the first {@code depth} positions, each position takes, among the hits the rules allow there, the hit maximising
 * {@code lambda * score - (1 - lambda) * redundancy}, where {@code score} is the hit's blend (in [0, 1]) and
 * {@code redundancy} is its highest cosine to a hit already placed ({@code max(0, max cos)}: a hit without a vector,
 * or one pointing away from every placed hit, counts as dissimilar, redundancy 0). Vectors are expected to be unit
 * length ({@link WindowHits#vectors()}).
 *
 * <p>A hit whose cosine to a hit placed above it reaches {@code duplicateThreshold} is a <em>near duplicate</em>: it
 * is set aside below every other hit, unless a rule needs it earlier, until the diversified positions are filled: with
 * a depth covering the window, to its end; with a depth of a page or two (the index setting's default, 20), below
 * them. The result records which placed hit it nearly duplicates ({@link Trace.Step#duplicateOf()}).
 *
 * <p>Rules are hard, diversity is soft: diversity only chooses among the hits the rules allow at a position. Beyond
 * {@code depth} positions, hits follow score order (under the rules). Cost: the redundancy is computed lazily (a hit's
 * value {@code lambda * score - (1 - lambda) * redundancy so far} only falls as hits are placed, so only the hit on top
 * is brought up to date), at most one dot product per pair of (hit, hit placed above it) within the depth: about
 * {@code depth^2 / 2} plus a few per position. Diversifying a whole window of {@code n} hits thus costs about
 * {@code n^2 / 2} dot products (some 10 ms for 500 hits of 384 dimensions); a depth of a page or two keeps it to tens
 * of microseconds.
 *
 * @param lambda             1 = no MMR (the default); 0 = redundancy alone decides (score breaks ties); in [0, 1]
 * @param duplicateThreshold cosine at or above which a hit is a near duplicate of a hit placed above it; 1 = off
 *                           (the default); in (0, 1]
 * @param depth              positions diversified from the top of the window, at least 1 ({@link Integer#MAX_VALUE}:
 *                           the whole window)
 */
public record Diversity(double lambda, double duplicateThreshold, int depth) {

    /** No diversity: plain score order under the rules. */
    public static final Diversity OFF = new Diversity(1, 1, Integer.MAX_VALUE);

    public Diversity {
        if ((lambda >= 0 && lambda <= 1) == false) {
            throw new IllegalArgumentException("diversity lambda must be in [0, 1], got " + lambda);
        }
        if ((duplicateThreshold > 0 && duplicateThreshold <= 1) == false) {
            throw new IllegalArgumentException(
                    "diversity duplicate_threshold must be in (0, 1] (1 = off), got " + duplicateThreshold);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("diversity depth must be >= 1, got " + depth);
        }
    }

    /** Diversity over the whole window. */
    public Diversity(double lambda, double duplicateThreshold) {
        this(lambda, duplicateThreshold, Integer.MAX_VALUE);
    }

    /** True when MMR weighs redundancy ({@code lambda < 1}). */
    public boolean mmr() {
        return lambda < 1;
    }

    /** True when near duplicates are looked for ({@code duplicateThreshold < 1}). */
    public boolean dedup() {
        return duplicateThreshold < 1;
    }

    /** True when diversity can move anything. */
    public boolean isActive() {
        return mmr() || dedup();
    }

    /** Human-readable parameters, for explain. */
    public String describe() {
        if (isActive() == false) {
            return "diversity off";
        }
        return String.format(
                Locale.ROOT,
                "diversity lambda=%s duplicate_threshold=%s%s",
                lambda,
                dedup() ? Double.toString(duplicateThreshold) : "off",
                depth == Integer.MAX_VALUE ? "" : " depth=" + depth);
    }
}
