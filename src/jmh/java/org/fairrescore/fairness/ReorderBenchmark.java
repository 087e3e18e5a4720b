package org.fairrescore.fairness;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Each quota reorder on a window of 500 hits from 100 shops (goal: under 0.2 ms). {@code window}:
 * <ul>
 *   <li>{@code uniform}: hits spread evenly over shops; the cap (2 in 10) can be met, plain deferral already meets it,
 *       and the DCG search spends its budget on top of that;</li>
 *   <li>{@code zipf}: Zipf-like shops (a head shop owns a large part of the window); the cap cannot be met and the
 *       fallback runs;</li>
 *   <li>{@code tight}: one shop holds {@value #TIGHT_HEAD} hits, just under the 100 the cap lets into 500 positions;
 *       the cap can be met but plain deferral fails it, so the cap's look-ahead runs (its slowest path).</li>
 * </ul>
 * Run: {@code integration-test/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReorderBenchmark {

    @Param({"500"})
    public int hits;

    @Param({"100"})
    public int shops;

    @Param({"uniform", "zipf", "tight"})
    public String window;

    /** Hits of the head shop in the {@code tight} window. */
    static final int TIGHT_HEAD = 96;

    private float[] scores;
    private int[] groups;
    private boolean[] protectedHit;
    private final QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(16));
    private final ShopCap cap = new ShopCap(2, 10);
    private final ExposureShare share = new ExposureShare(0.3, 5);
    private final FairTopK fair = new FairTopK(0.3, 0.1);

    @Setup
    public void setUp() {
        Random random = new Random(42);
        scores = new float[hits];
        groups = new int[hits];
        protectedHit = new boolean[hits];
        for (int i = 0; i < hits; i++) {
            scores[i] = random.nextFloat();
            groups[i] = switch (window) {
                case "uniform" -> random.nextInt(shops);
                case "zipf" -> (int) Math.floor(shops * Math.pow(random.nextDouble(), 3));
                case "tight" -> i < TIGHT_HEAD ? 0 : 1 + random.nextInt(shops - 1);
                default -> throw new IllegalArgumentException("window " + window);
            };
            protectedHit[i] = groups[i] >= shops / 2;
        }
        reorderer.apply(scores, groups, protectedHit, fair); // m-table computed once, as the node's cache does
    }

    @Benchmark
    public Reordering cap() {
        return reorderer.apply(scores, groups, protectedHit, cap);
    }

    @Benchmark
    public Reordering share() {
        return reorderer.apply(scores, groups, protectedHit, share);
    }

    @Benchmark
    public Reordering fairTopK() {
        return reorderer.apply(scores, groups, protectedHit, fair);
    }
}
