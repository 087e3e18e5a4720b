package org.fairrescore.cache;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The node's cache of document vectors embedded on the fly (for hits without a stored vector), bounded in bytes.
 * A key is a segment (any object identifying an immutable part of an index, e.g. Lucene's core cache key), a
 * document number in it and a variant (the model and text fields the text was built from). When a segment goes
 * away ({@link #segmentClosed(Object)}), its entries go with it.
 */
public final class DocumentEmbeddingCache extends BoundedVectorCache<DocumentEmbeddingCache.Key> {

    /** One document of one segment, embedded from one variant of its text. */
    public record Key(Object segment, int doc, String variant) {}

    private final Set<Object> tracked = ConcurrentHashMap.newKeySet();

    /** @param maxBytes heap bytes for cached vectors; 0 caches nothing (concurrent identical loads still run once) */
    public DocumentEmbeddingCache(long maxBytes) {
        super(new VectorCache<>(maxBytes, k -> 32 + VectorCache.stringBytes(k.variant.length()), Key::segment));
    }

    /**
     * Vectors for the keys, in order: cached, awaited from a concurrent caller, or made by {@code embed} (given the
     * keys it must embed, in order) and cached.
     */
    public float[][] getAll(List<Key> keys, Function<List<Key>, float[][]> embed) {
        return cache.getAll(keys, embed);
    }

    /**
     * Records that entries of {@code segment} may be cached; true the first time, when the caller must arrange for
     * {@link #segmentClosed(Object)} to be called once the segment goes away.
     */
    public boolean track(Object segment) {
        return tracked.add(segment);
    }

    /** Drops the entries of a segment that went away. */
    public void segmentClosed(Object segment) {
        tracked.remove(segment);
        cache.invalidateGroup(segment);
    }

    /** Segments tracked and not yet closed. */
    public int trackedSegments() {
        return tracked.size();
    }

    /** Segments that currently hold entries. */
    public int cachedSegments() {
        return cache.groupCount();
    }
}
