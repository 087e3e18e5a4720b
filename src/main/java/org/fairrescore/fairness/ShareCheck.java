package org.fairrescore.fairness;

/**
 * {@link ExposureShare} as a {@link RuleCheck}, with {@link ShareReorderer}'s placement rule (exactly the share at
 * every prefix from {@code minPrefix} on): a shop may take position {@code p} when its exposure so far is at most
 * {@code (maxShare + 1e-12) * total - weight(p)}, the total being that of the prefix, or of the first constrained prefix
 * before it. No look-ahead.
 */
final class ShareCheck extends RuleCheck {

    private final int[] shopOf;
    private final double[] threshold;
    private final double[] d;
    private final double[] exposure;
    private final double[] saved;

    ShareCheck(ExposureShare share, RuleModel model) {
        super(share);
        final int n = model.n;
        this.shopOf = model.shopOfLabel;
        this.d = DcgSearch.discounts(n);
        this.threshold = new double[n];
        this.exposure = new double[model.shops];
        this.saved = new double[n];
        if (share.isActive() == false || n < share.minPrefix()) {
            java.util.Arrays.fill(threshold, Double.POSITIVE_INFINITY);
            return;
        }
        double firstTotal = 0;
        for (int p = 0; p < share.minPrefix(); p++) {
            firstTotal += d[p];
        }
        final double limit = share.maxShare() + 1e-12;
        double cumulative = 0;
        for (int p = 0; p < n; p++) {
            cumulative += d[p];
            double total = p + 1 < share.minPrefix() ? firstTotal : cumulative;
            threshold[p] = limit * total - d[p];
        }
    }

    @Override
    boolean testsMovedShopToTheEnd() {
        return true; // a shop's exposure grows only with its own placements
    }

    @Override
    boolean holds(int label, int p) {
        return exposure[shopOf[label]] <= threshold[p];
    }

    @Override
    boolean allows(int label, int p) {
        return exposure[shopOf[label]] <= threshold[p];
    }

    @Override
    void place(int label, int p) {
        int shop = shopOf[label];
        saved[p] = exposure[shop];
        exposure[shop] = saved[p] + d[p];
    }

    @Override
    void undo(int label, int p) {
        exposure[shopOf[label]] = saved[p];
    }
}
