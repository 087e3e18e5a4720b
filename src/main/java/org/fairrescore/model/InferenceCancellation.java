package org.fairrescore.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.util.HashSet;
import java.util.Set;

/**
 * A handle on the inference calls made for one request, so that a caller that gives up on them (timeout, cancelled
 * search) stops them: calls not yet begun are skipped, and an ONNX Runtime call already running is told to terminate
 * ({@code RunOptions.setTerminate}), which makes it return within a few milliseconds.
 */
public final class InferenceCancellation {

    private final Set<OrtSession.RunOptions> running = new HashSet<>();
    private InferenceInterruptedException.Reason reason;

    /** Gives up on every current and later call made with this handle. */
    public void cancel(InferenceInterruptedException.Reason why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            for (OrtSession.RunOptions options : running) {
                try {
                    options.setTerminate(true);
                } catch (OrtException ignored) {
                    // the call is ending anyway; it checks the flag below when it returns
                }
            }
        }
    }

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    /** @throws InferenceInterruptedException if this handle was cancelled */
    public synchronized void throwIfCancelled() {
        if (reason != null) {
            throw interrupted();
        }
    }

    synchronized InferenceInterruptedException interrupted() {
        InferenceInterruptedException.Reason why =
                reason == null ? InferenceInterruptedException.Reason.CANCELLED : reason;
        return new InferenceInterruptedException(
                why,
                why == InferenceInterruptedException.Reason.TIMED_OUT ? "inference timed out" : "inference cancelled");
    }

    /** Registers the options of a call about to run; false (and nothing registered) if this handle is cancelled. */
    synchronized boolean register(OrtSession.RunOptions options) {
        if (reason != null) {
            return false;
        }
        running.add(options);
        return true;
    }

    synchronized void unregister(OrtSession.RunOptions options) {
        running.remove(options);
    }
}
