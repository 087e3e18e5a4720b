package org.fairrescore.stats;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram of non-negative long values (latencies in microseconds, batch sizes) with log-linear
 * buckets: values below 16 are counted exactly, larger ones in 8 buckets per power of two, so a percentile read from
 * it is at most 12.5 % above the true value (and never above the maximum seen). Recording is a few atomic adds;
 * concurrent recorders never block each other.
 */
public final class Histogram {

    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    /** Values below this are counted in a bucket of their own. */
    static final int EXACT = 2 * SUB;

    static final int BUCKETS = EXACT + (63 - SUB_BITS - 1) * SUB;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /** Counts one value; negative values count as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        buckets.incrementAndGet(bucket(v));
        count.increment();
        sum.add(v);
        max.accumulate(v);
    }

    /** The bucket a value falls in. */
    static int bucket(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS + 1
        int sub = (int) ((v >>> (exponent - SUB_BITS)) & (SUB - 1));
        return EXACT + (exponent - SUB_BITS - 1) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code b}. */
    static long upperBound(int b) {
        if (b < EXACT) {
            return b;
        }
        int k = b - EXACT;
        int exponent = k / SUB + SUB_BITS + 1;
        long width = 1L << (exponent - SUB_BITS);
        long lower = (SUB + (long) (k % SUB)) * width;
        return lower + width - 1;
    }

    /** A consistent-enough reading: counts taken bucket by bucket while recorders may still be running. */
    public Distribution snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int b = 0; b < BUCKETS; b++) {
            counts[b] = buckets.get(b);
            total += counts[b];
        }
        long maximum = max.get();
        return new Distribution(
                total,
                sum.sum(),
                percentile(counts, total, 0.50, maximum),
                percentile(counts, total, 0.90, maximum),
                percentile(counts, total, 0.99, maximum),
                maximum);
    }

    private static long percentile(long[] counts, long total, double quantile, long maximum) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(upperBound(b), maximum);
            }
        }
        return maximum;
    }

    /** Values recorded so far. */
    public long count() {
        return count.sum();
    }
}
