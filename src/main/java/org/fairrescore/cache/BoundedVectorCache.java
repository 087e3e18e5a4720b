package org.fairrescore.cache;

import java.util.function.LongConsumer;

/**
 * What the node's two vector caches (query vectors, on-the-fly document vectors) share: a {@link VectorCache} bounded
 * in bytes whose bound changes with its dynamic setting, whose bytes are accounted to the node's circuit breaker, and
 * whose counters the stats read.
 *
 * @param <K> the cache's key
 */
abstract class BoundedVectorCache<K> {

    protected final VectorCache<K> cache;

    protected BoundedVectorCache(VectorCache<K> cache) {
        this.cache = cache;
    }

    /** Reports the bytes this cache holds, and every later change, to {@code accounting} (the node's breaker). */
    public void accountTo(LongConsumer accounting) {
        cache.accountTo(accounting);
    }

    public void setMaxBytes(long maxBytes) {
        cache.setMaxBytes(maxBytes);
    }

    /** The byte bound (0: the cache keeps nothing). */
    public long maxBytes() {
        return cache.maxBytes();
    }

    public void clear() {
        cache.clear();
    }

    public VectorCache.Stats stats() {
        return cache.stats();
    }
}
