package org.fairrescore.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/** The Pareto frontier of points scored on two objectives. */
public final class Pareto {

    private Pareto() {}

    /**
     * Indices of the points no other point dominates, in input order. A point dominates another when it is at least
     * as good on both objectives and strictly better on one; {@code maximizeY} and {@code maximizeX} say which way is
     * better. Equal points are all on the frontier. NaN points are never on it.
     */
    public static List<Integer> frontier(double[] x, double[] y, boolean maximizeX, boolean maximizeY) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y need equal lengths, got " + x.length + " and " + y.length);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            boolean dominated = false;
            for (int j = 0; j < x.length && dominated == false; j++) {
                if (j == i || Double.isNaN(x[j]) || Double.isNaN(y[j])) {
                    continue;
                }
                double dx = maximizeX ? x[j] - x[i] : x[i] - x[j]; // > 0: j is better on x
                double dy = maximizeY ? y[j] - y[i] : y[i] - y[j];
                dominated = dx >= 0 && dy >= 0 && (dx > 0 || dy > 0);
            }
            if (dominated == false) {
                out.add(i);
            }
        }
        return out;
    }
}
