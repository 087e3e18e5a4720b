package org.fairrescore.eval.metrics;

import java.util.Locale;

/**
 * A point estimate with a 95% confidence interval.
 *
 * @param value the estimate (a mean, a proportion, a set-level statistic)
 * @param low   lower end of the 95% interval (NaN when it cannot be estimated, e.g. from one value)
 * @param high  upper end
 * @param n     how many queries it rests on
 */
public record Estimate(double value, double low, double high, int n) {

    /** "0.512 ± 0.034" for a symmetric interval, "0.512 [0.470, 0.551]" otherwise, with this many decimals. */
    public String format(int decimals) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String f = "%." + decimals + "f";
        String v = String.format(Locale.ROOT, f, value);
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return v;
        }
        double below = value - low;
        double above = high - value;
        if (Math.abs(below - above) <= 1e-9 * Math.max(1, Math.abs(value))) {
            return v + " ± " + String.format(Locale.ROOT, f, above);
        }
        return v + " [" + String.format(Locale.ROOT, f, low) + ", " + String.format(Locale.ROOT, f, high) + "]";
    }
}
