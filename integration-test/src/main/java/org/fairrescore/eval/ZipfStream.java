package org.fairrescore.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A stream of query draws with Zipf popularity, as search traffic has: a seeded shuffle gives each of {@code m}
 * queries a popularity rank r (1..m), and each draw picks rank r with probability {@code r^-s / sum_j j^-s}. The same
 * size, exponent and seed always give the same stream.
 */
final class ZipfStream {

    private ZipfStream() {}

    /** The query of each popularity rank: {@code ranks[r - 1]} is the index of the query with rank r. */
    static int[] ranks(int queries, long seed) {
        if (queries < 1) {
            throw new IllegalArgumentException("need at least one query, got " + queries);
        }
        List<Integer> order = new ArrayList<>(queries);
        for (int i = 0; i < queries; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The probability of each rank (1..queries), in rank order. */
    static double[] probabilities(int queries, double exponent) {
        if (queries < 1 || exponent < 0 || Double.isNaN(exponent)) {
            throw new IllegalArgumentException("need queries >= 1 and exponent >= 0, got " + queries + ", " + exponent);
        }
        double[] p = new double[queries];
        double sum = 0;
        for (int r = 1; r <= queries; r++) {
            p[r - 1] = Math.pow(r, -exponent);
            sum += p[r - 1];
        }
        for (int i = 0; i < queries; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** {@code n} draws: the index (0..queries-1) of the query of each search, in stream order. */
    static int[] draw(int n, int queries, double exponent, long seed) {
        int[] ranks = ranks(queries, seed);
        double[] p = probabilities(queries, exponent);
        double[] cumulative = new double[queries];
        double c = 0;
        for (int i = 0; i < queries; i++) {
            c += p[i];
            cumulative[i] = c;
        }
        cumulative[queries - 1] = 1; // no draw may fall past the last rank through rounding
        Random random = new Random(seed ^ 0x5DEECE66DL);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int r = 0;
            while (cumulative[r] <= u) {
                r++;
            }
            out[i] = ranks[r];
        }
        return out;
    }
}
