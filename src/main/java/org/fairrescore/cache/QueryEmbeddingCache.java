package org.fairrescore.cache;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The node's cache of query vectors, keyed by model id and query text and bounded in bytes. Identical query texts
 * arriving together (e.g. the shards of one search, or a burst of users typing the same thing) are embedded once.
 */
public final class QueryEmbeddingCache extends BoundedVectorCache<QueryEmbeddingCache.Key> {

    record Key(String model, String text) {}

    /** @param maxBytes heap bytes for cached vectors and their texts; 0 caches nothing */
    public QueryEmbeddingCache(long maxBytes) {
        super(new VectorCache<>(
                maxBytes,
                k -> 32 + VectorCache.stringBytes(k.model.length()) + VectorCache.stringBytes(k.text.length()),
                null));
    }

    /** The vector of {@code text} under {@code model}: cached, awaited from a concurrent caller, or embedded here. */
    public float[] get(String model, String text, Function<String, float[]> embed) {
        return cache.computeIfAbsent(new Key(model, text), k -> embed.apply(k.text));
    }

    /**
     * The vector of {@code text} under {@code model} without blocking: cached, the future of a concurrent identical
     * request (e.g. another shard of the same search), or started by {@code embed} (e.g. on the inference pool).
     */
    public CompletableFuture<float[]> getAsync(
            String model, String text, Function<String, CompletableFuture<float[]>> embed) {
        return cache.getAsync(new Key(model, text), k -> embed.apply(k.text));
    }

    /**
     * Starts embedding {@code text} ahead of the searches that will ask for it (the coordinator's prefetch); counts a
     * load, and no lookup: each search's own lookup counts a miss and a wait on it.
     */
    public void prefetchAsync(String model, String text, Function<String, CompletableFuture<float[]>> embed) {
        cache.prefetchAsync(new Key(model, text), k -> embed.apply(k.text));
    }

    /** The cached vector of {@code text} under {@code model}, or null; counts no hit or miss. */
    public float[] peek(String model, String text) {
        return cache.peek(new Key(model, text));
    }
}
