package org.fairrescore.exposure;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One index's exposure ledger as the rescorer reads it: every node's ledger added up, decayed to one instant, with
 * the totals. Immutable (a sync builds a new one), so a rescore reads it without locks and every hit of a window sees
 * the same figures.
 *
 * <p>A shop's <b>target</b> is the exposure it is owed: all exposure times its share of all merit ({@code merit}), or
 * all exposure divided among the shops with merit ({@code uniform}). Its <b>deficit</b> is
 * {@code (target - exposure) / target} clipped to [-1, 1]: 1 for a shop never shown, 0 on target, -1 at twice its
 * target or more (and for a shop shown without merit). Its <b>boost</b>, added to each of its window hits' blends, is
 * {@code strength * MAX_BOOST * deficit}. Decay scales every figure alike, so ratios, deficits and boosts do not depend
 * on the instant the view was decayed to.
 */
public final class ExposureView {

    /**
     * The boost at strength 1 for a shop at full deficit, in blend units (the blend lies in [0, 1]). Top-10 blends of a
     * query typically span 0.03 to 0.07 (WANDS, seeded catalogs), so 0.1 lets a starved shop's best hit climb the page
     * at strength 1 while the default strength moves hits within it; chosen with the replay, see the README.
     */
    public static final double MAX_BOOST = 0.1;

    /** A view of no traffic: no boosts. */
    public static final ExposureView EMPTY = new ExposureView(Map.of(), 0, 0, 0, 0);

    /** One shop's decayed totals. */
    public record Shop(double exposure, double merit, long updated) {}

    /**
     * One shop's standing against its target.
     *
     * @param ratio   exposure / target (infinite when it has exposure but no target, NaN when neither)
     * @param deficit (target - exposure) / target clipped to [-1, 1]
     */
    public record Standing(double exposure, double merit, double target, double ratio, double deficit, long updated) {}

    private final Map<String, Shop> shops;
    private final double totalExposure;
    private final double totalMerit;
    private final int shopsWithMerit;
    private final long at;

    private ExposureView(
            Map<String, Shop> shops, double totalExposure, double totalMerit, int shopsWithMerit, long at) {
        this.shops = shops;
        this.totalExposure = totalExposure;
        this.totalMerit = totalMerit;
        this.shopsWithMerit = shopsWithMerit;
        this.at = at;
    }

    /** Adds up ledgers (this node's and its copies of other nodes'), each entry decayed to {@code now}. */
    public static ExposureView of(Collection<Map<String, ShopLedger.Entry>> ledgers, long now, Decay decay) {
        Map<String, double[]> sums = new HashMap<>();
        for (Map<String, ShopLedger.Entry> ledger : ledgers) {
            for (Map.Entry<String, ShopLedger.Entry> e : ledger.entrySet()) {
                ShopLedger.Entry aged = e.getValue().decayedTo(now, decay);
                double[] sum = sums.computeIfAbsent(e.getKey(), k -> new double[3]);
                sum[0] += aged.exposure();
                sum[1] += aged.merit();
                sum[2] = Math.max(sum[2], e.getValue().at());
            }
        }
        Map<String, Shop> shops = new HashMap<>(Math.max(16, sums.size() * 4 / 3 + 1));
        double exposure = 0;
        double merit = 0;
        int withMerit = 0;
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            shops.put(e.getKey(), new Shop(s[0], s[1], (long) s[2]));
            exposure += s[0];
            merit += s[1];
            if (s[1] > 0) {
                withMerit++;
            }
        }
        return new ExposureView(Collections.unmodifiableMap(shops), exposure, merit, withMerit, now);
    }

    /** Where {@code shop} stands against its target (a shop not in the view stands at 0 of 0). */
    public Standing standing(String shop, ExposureTarget target) {
        Shop s = shops.get(shop);
        double exposure = s == null ? 0 : s.exposure();
        double merit = s == null ? 0 : s.merit();
        double owed = target(merit, target);
        return new Standing(
                exposure,
                merit,
                owed,
                owed > 0 ? exposure / owed : exposure > 0 ? Double.POSITIVE_INFINITY : Double.NaN,
                deficit(exposure, owed),
                s == null ? 0 : s.updated());
    }

    /** The boost of a hit of {@code shop} at {@code strength} (0 to 1). */
    public double boost(String shop, ExposureTarget target, double strength) {
        if (shop == null || strength <= 0) {
            return 0;
        }
        Shop s = shops.get(shop);
        if (s == null) {
            return 0;
        }
        return strength * MAX_BOOST * deficit(s.exposure(), target(s.merit(), target));
    }

    /** The exposure owed to a shop with {@code merit}. */
    double target(double merit, ExposureTarget target) {
        return switch (target) {
            case MERIT -> totalMerit > 0 ? totalExposure * merit / totalMerit : 0;
            case UNIFORM -> merit > 0 && shopsWithMerit > 0 ? totalExposure / shopsWithMerit : 0;
        };
    }

    /** (target - exposure) / target clipped to [-1, 1]; -1 for exposure without a target, 0 for neither. */
    static double deficit(double exposure, double target) {
        if (target <= 0) {
            return exposure > 0 ? -1 : 0;
        }
        return Math.max(-1, Math.min(1, (target - exposure) / target));
    }

    public Map<String, Shop> shops() {
        return shops;
    }

    public double totalExposure() {
        return totalExposure;
    }

    public double totalMerit() {
        return totalMerit;
    }

    /** Shops with merit above 0: among whom {@code uniform} divides the exposure. */
    public int shopsWithMerit() {
        return shopsWithMerit;
    }

    /** The instant (epoch milliseconds) the figures are decayed to. */
    public long at() {
        return at;
    }
}
