package org.fairrescore.exposure;

/**
 * Exponential decay with a half-life: a value {@code v} recorded at time {@code t0} is worth
 * {@code v * 2^(-(t - t0) / halfLife)} at time {@code t}. Decay is linear, so decayed values add: the sum of decayed
 * values equals the decayed sum, which lets nodes add their ledgers at any time and get the same totals.
 */
public record Decay(long halfLifeMillis) {

    public Decay {
        if (halfLifeMillis <= 0) {
            throw new IllegalArgumentException("the half-life must be positive, got " + halfLifeMillis + " ms");
        }
    }

    /** What a value recorded at {@code from} is worth at {@code to} (never more than the value: time only runs forward). */
    public double factor(long from, long to) {
        if (to <= from) {
            return 1.0;
        }
        return Math.pow(2.0, -(double) (to - from) / halfLifeMillis);
    }
}
