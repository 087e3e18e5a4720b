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

    /** The adjusted multinomial m-table for a window of {@code k} hits and minimum proportions {@code p}. */
    public MultinomialMTable multi(int k, double[] p, double alpha) {
        MultiKey key = new MultiKey(k, Arrays.stream(p).boxed().toList(), alpha);
        synchronized (multi) {
            MultinomialMTable table = multi.get(key);
            if (table != null) {
                return table;
            }
        }
        MultinomialMTable computed = MultinomialMTable.adjusted(k, p, alpha); // outside the lock, as get()
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
