package org.fairrescore.eval.metrics;

import java.util.Arrays;

/**
 * The Gini coefficient of a non-negative distribution: 0 when every member gets the same, {@code (n - 1) / n} when
 * one member gets everything. With the values sorted ascending, {@code G = sum_i (2i - n - 1) x_i / (n sum x)}
 * (i = 1..n), which equals the mean absolute difference over all ordered pairs divided by twice the mean.
 */
public final class Gini {

    private Gini() {}

    /** Gini of these values; 0 when all are zero, NaN when there are none. */
    public static double of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return Double.NaN;
        }
        double[] x = values.clone();
        Arrays.sort(x);
        if (x[0] < 0 || Double.isNaN(x[0]) || Double.isNaN(x[n - 1])) {
            throw new IllegalArgumentException("Gini needs non-negative values, got " + Arrays.toString(values));
        }
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i];
            weighted += (2.0 * (i + 1) - n - 1) * x[i];
        }
        return sum == 0 ? 0 : weighted / (n * sum);
    }
}
