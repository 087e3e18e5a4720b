package org.fairrescore.model;

/**
 * Inference that was given up on before it produced vectors: its budget ran out, or the search it served was
 * cancelled. Thrown to the caller that gave up, and to any concurrent caller that was waiting for the same cached
 * vectors (the vector caches let those retry the load themselves: it says nothing about the keys).
 */
public final class InferenceInterruptedException extends RuntimeException {

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
