package org.fairrescore.embed;

/**
 * Inference that was given up on before it produced vectors: its budget ran out, or the search it served was
 * cancelled. Thrown to the caller that gave up, and to any concurrent caller that was waiting for the same cached
 * vectors (those retry the load themselves: see {@link VectorCache.AbandonedLoad}).
 */
public final class InferenceInterruptedException extends RuntimeException implements VectorCache.AbandonedLoad {

    /** Why the inference was given up on. */
    public enum Reason {
        /** The per-request inference budget ({@code fair_rescore.inference.timeout}) ran out. */
        TIMED_OUT,
        /** The search that asked for the vectors was cancelled. */
        CANCELLED
    }

    private final Reason reason;

    public InferenceInterruptedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
