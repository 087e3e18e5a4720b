package org.fairrescore.settings;

import org.fairrescore.exposure.Decay;
import org.fairrescore.exposure.ExposureTarget;
import org.opensearch.common.settings.Settings;

/**
 * One index's {@code index.fair_rescore.exposure.*} settings, as read for one search (parsed once per settings object).
 *
 * @param amortized whether the mode is {@code amortized}
 * @param shopField the index's {@code shop_field} (empty: no shops, so nothing to record or boost)
 * @param feedback  whether exposure comes from {@code _feedback} rather than from the served ranks
 */
public record ExposureSettings(
        boolean amortized, double strength, ExposureTarget target, Decay decay, boolean feedback, String shopField) {

    public static final ExposureSettings OFF =
            new ExposureSettings(false, 0, ExposureTarget.MERIT, new Decay(3_600_000L), false, "");

    private static final ParsedCache<Settings, ExposureSettings> PARSED = new ParsedCache<>(256);

    public static ExposureSettings of(Settings indexSettings) {
        return PARSED.get(indexSettings, ExposureSettings::parse);
    }

    static ExposureSettings parse(Settings s) {
        return new ExposureSettings(
                "amortized".equals(FairRescoreSettings.EXPOSURE_MODE.get(s)),
                FairRescoreSettings.EXPOSURE_STRENGTH.get(s),
                ExposureTarget.of(FairRescoreSettings.EXPOSURE_TARGET.get(s)),
                new Decay(FairRescoreSettings.EXPOSURE_HALF_LIFE.get(s).millis()),
                "feedback".equals(FairRescoreSettings.EXPOSURE_SOURCE.get(s)),
                FairRescoreSettings.SHOP_FIELD.get(s));
    }

    /** Whether searches of the index record exposure and merit and get boosts: amortized, with a shop field. */
    public boolean active() {
        return amortized && shopField.isEmpty() == false;
    }

    /** Whether the coordinating node counts the served ranks (active and not fed back by the front end). */
    public boolean recordsServed() {
        return active() && feedback == false;
    }
}
