package org.fairrescore.stats;

import org.opensearch.test.OpenSearchTestCase;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

public class HistogramTests extends OpenSearchTestCase {

    public void testBucketsAreContiguousAndOrdered() {
        long previousUpper = -1;
        for (int b = 0; b < Histogram.BUCKETS; b++) {
            long upper = Histogram.upperBound(b);
            assertTrue("bucket " + b + " upper bound increases", upper > previousUpper);
            assertEquals("lowest value of bucket " + b, b, Histogram.bucket(previousUpper + 1));
            assertEquals("highest value of bucket " + b, b, Histogram.bucket(upper));
            previousUpper = upper;
        }
        assertEquals(Long.MAX_VALUE, previousUpper);
    }

    public void testSmallValuesAreExact() {
        for (int v = 0; v < Histogram.EXACT; v++) {
            assertEquals(v, Histogram.upperBound(Histogram.bucket(v)));
        }
    }

    public void testRelativeErrorOfBucketsIsAtMostAnEighth() {
        for (int i = 0; i < 10_000; i++) {
            long v = randomLongBetween(Histogram.EXACT, Long.MAX_VALUE / 2);
            long upper = Histogram.upperBound(Histogram.bucket(v));
            assertTrue(upper >= v);
            assertTrue(v + " -> " + upper, (double) (upper - v) / v <= 0.125);
        }
    }

    public void testPercentilesAgainstSortedValues() {
        Histogram h = new Histogram();
        int n = randomIntBetween(1, 5_000);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = randomBoolean() ? randomLongBetween(0, 40) : randomLongBetween(0, 2_000_000);
            h.record(values[i]);
        }
        Arrays.sort(values);
        Distribution d = h.snapshot();
        assertEquals(n, d.count());
        assertEquals(Arrays.stream(values).sum(), d.sum());
        assertEquals(values[n - 1], d.max());
        assertClose(values[(int) Math.ceil(0.50 * n) - 1], d.p50());
        assertClose(values[(int) Math.ceil(0.90 * n) - 1], d.p90());
        assertClose(values[(int) Math.ceil(0.99 * n) - 1], d.p99());
        assertTrue(d.p50() <= d.p90() && d.p90() <= d.p99() && d.p99() <= d.max());
    }

    private static void assertClose(long exact, long read) {
        assertTrue("read " + read + " below exact " + exact, read >= exact);
        assertTrue("read " + read + " more than 12.5 % above exact " + exact, read <= exact + exact / 8);
    }

    public void testEmptyAndNegative() {
        Histogram h = new Histogram();
        assertEquals(Distribution.EMPTY, h.snapshot());
        assertEquals(0.0, h.snapshot().mean(), 0);
        h.record(-5);
        Distribution d = h.snapshot();
        assertEquals(1, d.count());
        assertEquals(0, d.max());
        assertEquals(0, d.p99());
    }

    public void testConcurrentRecordersLoseNothing() throws Exception {
        Histogram h = new Histogram();
        int threads = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final long value = t + 1;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    h.record(value);
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        Distribution d = h.snapshot();
        assertEquals((long) threads * each, d.count());
        assertEquals((long) each * (1 + 2 + 3 + 4), d.sum());
        assertEquals(4, d.max());
        assertEquals(h.count(), d.count());
    }
}
