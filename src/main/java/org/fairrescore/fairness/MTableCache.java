package org.fairrescore.fairness;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adjusted m-tables by (k, p, alpha), single-group ({@link MTable}) and multinomial ({@link MultinomialMTable}):
 * computing one costs a bisection of exact failure probabilities, so each is computed once and kept, least recently
 * used first out, up to a fixed number of tables of each kind. Thread-safe.
 */
public final class MTableCache {

    private record Key(int k, double p, double alpha) {}

    private record MultiKey(int k, List<Double> p, double alpha) {}

    private final int capacity;
    private final Map<Key, MTable> tables;
    private final Map<MultiKey, MultinomialMTable> multi;

    public MTableCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.tables = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, MTable> eldest) {
                return size() > MTableCache.this.capacity;
            }
        };
        this.multi = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MultiKey, MultinomialMTable> eldest) {
                return size() > MTableCache.this.capacity;
            }
        };
    }

    /**
     * Window lengths a multinomial table is computed for: a window of {@code k} hits uses the table of the first length
     * {@code >= k} (its first {@code k} rows; every reader stops at its window's length). Computing one costs about
     * k^(groups + 1) (0.03 s for 100 hits and two groups, 0.5 s for 500, seconds for three groups), and shards and the
     * pipeline see windows of every length up to {@code window_size}; rounding up keeps it to a handful of tables per
     * rule instead of one per length (one group keeps the table of exactly {@code k}, cheap like fair_topk's). The longer table's significance is adjusted for more prefix tests, so its first
     * {@code k} rows are never stricter than the table for exactly {@code k}: a fair ranking still fails with
     * probability at most {@code alpha}.
     */
    static final int[] MULTINOMIAL_LENGTHS = {10, 20, 50, 100, 200, 500, 1000};

    static int multinomialLength(int k, int groups) {
        if (groups == 1) {
            return k; // one group costs what fair_topk's table costs, and stays the same table as fair_topk's
        }
        for (int length : MULTINOMIAL_LENGTHS) {
            if (k <= length) {
                return length;
            }
        }
        return k;
    }

    /**
     * The adjusted multinomial m-table for a window of {@code k} hits and minimum proportions {@code p}: the table of
     * {@link #multinomialLength(int, int)} hits, of which the window reads its first {@code k} rows.
     */
    public MultinomialMTable multi(int k, double[] p, double alpha) {
        int length = multinomialLength(k, p.length);
        MultiKey key = new MultiKey(length, Arrays.stream(p).boxed().toList(), alpha);
        synchronized (multi) {
            MultinomialMTable table = multi.get(key);
            if (table != null) {
                return table;
            }
        }
        MultinomialMTable computed = MultinomialMTable.adjusted(length, p, alpha); // outside the lock, as get()
        synchronized (multi) {
            return multi.computeIfAbsent(key, x -> computed);
        }
    }

    public MTable get(int k, double p, double alpha) {
        Key key = new Key(k, p, alpha);
        synchronized (tables) {
            MTable table = tables.get(key);
            if (table != null) {
                return table;
            }
        }
        MTable computed = MTable.adjusted(k, p, alpha); // outside the lock; a racing duplicate is harmless
        synchronized (tables) {
            return tables.computeIfAbsent(key, x -> computed);
        }
    }

    public int size() {
        synchronized (tables) {
            return tables.size();
        }
    }
}
