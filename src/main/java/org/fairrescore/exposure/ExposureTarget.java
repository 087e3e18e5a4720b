package org.fairrescore.exposure;

import java.util.Locale;

/** What share of all exposure a shop is owed ({@code index.fair_rescore.exposure.target}). */
public enum ExposureTarget {
    /** Its share of all merit: exposure proportional to the relevance the shop brings (Singh &amp; Joachims 2018). */
    MERIT,
    /** An equal share among the shops that appeared in rescore windows (merit above 0). */
    UNIFORM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExposureTarget of(String id) {
        for (ExposureTarget t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown exposure target [" + id + "], expected [merit] or [uniform]");
    }
}
