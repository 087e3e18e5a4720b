package org.fairrescore.rescore;

import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.NoopCircuitBreaker;

import java.util.function.Supplier;

/**
 * Accounts the heap a rescore window or an ingest batch holds while it is worked on to the node's
 * {@code fair_rescore} circuit breaker, so that an oversized request is refused (429, naming the breaker) instead of
 * running the node out of memory. The estimates are upper bounds: every on-the-fly document is counted at the model's
 * token limit.
 *
 * @param breaker   the node's breaker (a no-op one in tools and tests)
 * @param dims      the model's vector length
 * @param maxTokens the model's token limit
 * @param maxBatch  inputs per inference call
 */
public record RequestMemory(Supplier<CircuitBreaker> breaker, int dims, int maxTokens, int maxBatch) {

    /** Per window hit: ids, scores, blend, cosine, positions, shop and the first-pass ScoreDoc. */
    static final long PER_HIT = 96;
    /** Characters per token at most, as a text truncated to the token limit can hold (then 2 bytes a char). */
    static final long CHARS_PER_TOKEN = 8;

    /** Accounts nothing (tools and tests). */
    public static final RequestMemory NONE = none();

    private static RequestMemory none() {
        CircuitBreaker noop = new NoopCircuitBreaker("fair_rescore");
        return new RequestMemory(() -> noop, 0, 0, 1);
    }

    /** The same breaker, for a model of {@code dims} and {@code maxTokens} (the node has several). */
    public RequestMemory forModel(int dims, int maxTokens) {
        return dims == this.dims && maxTokens == this.maxTokens
                ? this
                : new RequestMemory(breaker, dims, maxTokens, maxBatch);
    }

    /** Estimated heap of one embedded text in flight: its text, its encoding (ids, mask, types) and its vector. */
    long perText() {
        return CHARS_PER_TOKEN * maxTokens * 2 + 3L * 8 * maxTokens + 16 + 4L * dims;
    }

    /** Estimated heap of one inference call's output ({@code last_hidden_state}: batch × tokens × dims floats). */
    long perBatch() {
        return 4L * maxBatch * maxTokens * dims;
    }

    /** Upper bound of the heap a window of {@code hits} holds, {@code onTheFly} of them embedded for it. */
    public long window(int hits, int onTheFly) {
        long bytes = PER_HIT * hits + 16 + 4L * dims; // and the query vector
        if (onTheFly > 0) {
            bytes += onTheFly * perText() + perBatch();
        }
        return bytes;
    }

    /** Upper bound of the heap an ingest batch of {@code texts} holds while they are embedded. */
    public long batch(int texts, int inferenceBatch) {
        return texts * perText() + 4L * Math.max(1, inferenceBatch) * maxTokens * dims;
    }

    /**
     * Reserves {@code bytes} for {@code label}.
     *
     * @throws org.opensearch.core.common.breaker.CircuitBreakingException (429) when the breaker's limit would be passed
     */
    public long reserve(long bytes, String label) {
        breaker.get().addEstimateBytesAndMaybeBreak(bytes, label);
        return bytes;
    }

    /** Gives back what {@link #reserve} took. */
    public void release(long bytes) {
        breaker.get().addWithoutBreaking(-bytes);
    }
}
