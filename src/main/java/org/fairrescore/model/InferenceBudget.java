package org.fairrescore.model;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The inference budget of one request: a deadline, a way to learn that the request was cancelled, and the
 * {@link InferenceCancellation} its own inference calls run under. {@link #await} waits for inference running on the
 * inference pool, in slices, so that a cancelled request notices within {@link #POLL_NANOS}.
 */
public final class InferenceBudget {

    /** How often a waiting request checks whether it was cancelled. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final long timeoutNanos;
    private final long deadline;
    private final BooleanSupplier cancelled;
    private final InferenceCancellation calls = new InferenceCancellation();

    private InferenceBudget(long timeoutNanos, BooleanSupplier cancelled) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeoutNanos + " ns");
        }
        this.timeoutNanos = timeoutNanos;
        this.deadline = System.nanoTime() + timeoutNanos;
        this.cancelled = cancelled;
    }

    /** A budget of {@code timeoutNanos} from now; {@code cancelled} says whether the request was cancelled. */
    public static InferenceBudget start(long timeoutNanos, BooleanSupplier cancelled) {
        return new InferenceBudget(timeoutNanos, cancelled);
    }

    /** A budget that never runs out and a request that is never cancelled (tools and tests). */
    public static InferenceBudget unlimited() {
        return new InferenceBudget(Long.MAX_VALUE / 4, () -> false);
    }

    public long timeoutNanos() {
        return timeoutNanos;
    }

    /** The handle this request's own inference calls run under; cancelled when the budget is given up. */
    public InferenceCancellation calls() {
        return calls;
    }

    /**
     * The value of {@code future}, waiting at most until the deadline.
     *
     * @throws InferenceInterruptedException when the deadline passes or the request is cancelled first (the
     *         request's own calls are then cancelled; a shared future is left to finish for its other users)
     * @throws RuntimeException what the future failed with
     */
    public <T> T await(CompletableFuture<T> future) {
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw giveUp(InferenceInterruptedException.Reason.CANCELLED);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw giveUp(InferenceInterruptedException.Reason.TIMED_OUT);
            }
            try {
                return future.get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // next slice
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw giveUp(InferenceInterruptedException.Reason.CANCELLED);
            } catch (CancellationException e) {
                throw giveUp(InferenceInterruptedException.Reason.CANCELLED);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new EmbeddingException("inference failed: " + cause, cause);
            }
        }
    }

    private InferenceInterruptedException giveUp(InferenceInterruptedException.Reason reason) {
        calls.cancel(reason);
        return new InferenceInterruptedException(
                reason,
                reason == InferenceInterruptedException.Reason.TIMED_OUT
                        ? "inference did not finish within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"
                        : "the request was cancelled while inference was pending");
    }
}
