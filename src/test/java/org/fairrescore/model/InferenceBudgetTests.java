package org.fairrescore.model;

import org.opensearch.test.OpenSearchTestCase;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

public class InferenceBudgetTests extends OpenSearchTestCase {

    public void testReturnsWhatFinishesInTime() {
        InferenceBudget budget = InferenceBudget.start(TimeUnit.SECONDS.toNanos(10), () -> false);
        assertEquals("done", budget.await(CompletableFuture.completedFuture("done")));
        CompletableFuture<String> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "later";
        });
        assertEquals("later", budget.await(later));
        assertFalse(budget.calls().isCancelled());
    }

    public void testTimesOutAndCancelsItsOwnCalls() {
        InferenceBudget budget = InferenceBudget.start(TimeUnit.MILLISECONDS.toNanos(25), () -> false);
        long start = System.nanoTime();
        InferenceInterruptedException e =
                expectThrows(InferenceInterruptedException.class, () -> budget.await(new CompletableFuture<>()));
        assertEquals(InferenceInterruptedException.Reason.TIMED_OUT, e.reason());
        assertTrue(e.getMessage(), e.getMessage().contains("within 25 ms"));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(25));
        assertTrue(budget.calls().isCancelled());
        InferenceInterruptedException later =
                expectThrows(InferenceInterruptedException.class, budget.calls()::throwIfCancelled);
        assertEquals(InferenceInterruptedException.Reason.TIMED_OUT, later.reason());
        // the deadline is the request's: a second wait after it has passed gives up at once
        expectThrows(InferenceInterruptedException.class, () -> budget.await(new CompletableFuture<>()));
    }

    public void testCancelledRequestGivesUpWithinAPoll() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        InferenceBudget budget = InferenceBudget.start(TimeUnit.HOURS.toNanos(1), cancelled::get);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancelled.set(true);
        });
        t.start();
        InferenceInterruptedException e =
                expectThrows(InferenceInterruptedException.class, () -> budget.await(new CompletableFuture<>()));
        assertEquals(InferenceInterruptedException.Reason.CANCELLED, e.reason());
        assertTrue(budget.calls().isCancelled());
        t.join();
    }

    public void testFailuresPassThroughUnwrapped() {
        InferenceBudget budget = InferenceBudget.start(TimeUnit.SECONDS.toNanos(10), () -> false);
        ModelUnavailableException failure = new ModelUnavailableException("model [m] cannot be loaded from [/p]");
        assertSame(
                failure,
                expectThrows(
                        ModelUnavailableException.class, () -> budget.await(CompletableFuture.failedFuture(failure))));
        expectThrows(IllegalArgumentException.class, () -> InferenceBudget.start(0, () -> false));
    }
}
