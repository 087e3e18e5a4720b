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

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The composite placement on a window of 500 hits from 100 shops (goal: under 0.5 ms): cap 2 in 10 + share 0.3 from
 * prefix 10 + group minimums (tail >= 0.3, mid >= 0.2; a shop's tier is its group) + MMR (lambda 0.7, near duplicates at
 * cosine 0.95) over 384-dimension unit vectors clustered like a real window's (cosine about 0.4 across topics, 0.7
 * within one, a few near duplicates). {@code window}: {@code uniform} (hits spread over shops) or {@code zipf} (a head
 * shop owns a large part of the window: the cap and share cannot hold everywhere and give way). {@code depth}: the
 * positions MMR diversifies (20: two pages of ten, the default; 500: the whole window). {@code rulesOnly} is the same
 * rules without diversity (then the DCG search runs too). Run: {@code integration-test/jmh.sh}, or
 * {@code integration-test/jmh.sh --bench CompositeReorderBenchmark} for these alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompositeReorderBenchmark {

    @Param({"500"})
    public int hits;

    @Param({"100"})
    public int shops;

    @Param({"uniform", "zipf"})
    public String window;

    @Param({"20", "500"})
    public int depth;

    static final int DIMS = 384;

    private WindowHits windowHits;
    private QuotaPolicy rules;
    private Diversity diversity;
    private final QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(16));

    @Setup
    public void setUp() {
        Random random = new Random(42);
        float[] scores = new float[hits];
        int[] shop = new int[hits];
        int[] group = new int[hits];
        float[][] vectors = new float[hits][];
        float[] common = gaussian(random, 1);
        float[][] topics = new float[12][];
        for (int t = 0; t < topics.length; t++) {
            topics[t] = gaussian(random, 1);
        }
        for (int i = 0; i < hits; i++) {
            scores[i] = random.nextFloat();
            shop[i] = switch (window) {
                case "uniform" -> random.nextInt(shops);
                case "zipf" -> (int) Math.floor(shops * Math.pow(random.nextDouble(), 3));
                default -> throw new IllegalArgumentException("window " + window);
            };
            int tier = Math.floorMod(shop[i] * 7 + 3, 10); // 40 % of shops tail, 30 % mid
            group[i] = tier < 4 ? 0 : tier < 7 ? 1 : -1;
            float[] topic = topics[random.nextInt(topics.length)];
            double noise = random.nextInt(50) == 0 ? 0.05 : 0.8;
            float[] v = new float[DIMS];
            float[] n = gaussian(random, noise);
            double norm = 0;
            for (int d = 0; d < DIMS; d++) {
                v[d] = common[d] + topic[d] + n[d];
                norm += v[d] * v[d];
            }
            for (int d = 0; d < DIMS; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
            vectors[i] = v;
        }
        windowHits = WindowHits.of(scores).withShopIds(shop).withGroupIds(group).withVectors(vectors);
        rules = new Rules(List.of(
                new ShopCap(2, 10),
                new ExposureShare(0.3, 10),
                new GroupFairTopK(List.of("tail", "mid"), new double[] {0.3, 0.2}, 0.1)));
        diversity = new Diversity(0.7, 0.95, depth);
        reorderer.apply(windowHits, rules, diversity); // m-tables computed once, as the node's cache does
    }

    private static float[] gaussian(Random random, double sigma) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (sigma * random.nextGaussian());
        }
        return v;
    }

    @Benchmark
    public Reordering rulesAndMmr() {
        return reorderer.apply(windowHits, rules, diversity);
    }

    @Benchmark
    public Reordering rulesOnly() {
        return reorderer.apply(windowHits, rules, Diversity.OFF);
    }
}
