package org.fairrescore.fairness;

import java.util.Locale;

/**
 * At every prefix of length {@code r >= minPrefix}, no shop holds more than {@code maxShare} of the prefix's
 * position-weighted exposure, position {@code i} (1-based) weighing {@code 1 / log2(1 + i)}.
 */
public record ExposureShare(double maxShare, int minPrefix) implements QuotaPolicy {

    public ExposureShare {
        if ((maxShare > 0 && maxShare <= 1) == false) {
            throw new IllegalArgumentException("max_share must be in (0, 1], got " + maxShare);
        }
        if (minPrefix < 1) {
            throw new IllegalArgumentException("share_min_prefix must be >= 1, got " + minPrefix);
        }
    }

    /** Exposure weight of 1-based position {@code i}. */
    public static double weight(int i) {
        return 1.0 / (Math.log(1 + i) / Math.log(2));
    }

    @Override
    public String mode() {
        return "share";
    }

    @Override
    public boolean isActive() {
        return maxShare < 1;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "share max_share=%s from prefix %d", maxShare, minPrefix);
    }
}
