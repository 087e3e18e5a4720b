package org.fairrescore.fairness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adjusted m-tables by (k, p, alpha): computing one costs a bisection of exact failure probabilities, so each is
 * computed once and kept, least recently used first out, up to a fixed number of tables. Thread-safe.
 */
public final class MTableCache {

    private record Key(int k, double p, double alpha) {}

    private final int capacity;
    private final Map<Key, MTable> tables;

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
