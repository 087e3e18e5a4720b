package org.fairrescore.fairness;

/**
 * The per-shop cap an index admin configures: at most {@code maxPerShop} hits of one shop in any
 * {@code window} consecutive positions of the rescore window. {@code maxPerShop == 0} means no cap.
 */
public record ShopCap(int maxPerShop, int window) implements QuotaPolicy {

    public static final ShopCap NONE = new ShopCap(0, 1);

    public ShopCap {
        if (maxPerShop < 0) {
            throw new IllegalArgumentException("max_per_shop must be >= 0, got " + maxPerShop);
        }
        if (window < 1) {
            throw new IllegalArgumentException("cap_window must be >= 1, got " + window);
        }
    }

    /** True when the cap constrains anything: a shop may not fill a whole cap window. */
    @Override
    public boolean isActive() {
        return maxPerShop > 0 && maxPerShop < window;
    }

    @Override
    public String mode() {
        return "cap";
    }

    @Override
    public String describe() {
        return "cap max_per_shop=" + maxPerShop + " in cap_window=" + window;
    }
}
