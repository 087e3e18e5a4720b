package org.fairrescore.model;

import org.fairrescore.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A quick timing printout (not a test; nothing is asserted): tokenizer microseconds per query, embedding latency of
 * one short query, and documents per second for lists of 32 titles, at 1 and 2 intra-op threads and at batch sizes 1
 * and 32.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     org.fairrescore.model.EmbedBenchmark [target/models] [queries.txt]
 * </pre>
 */
public final class EmbedBenchmark {

    private static final List<String> TITLES = List.of(
            "Men's lightweight running shoes with breathable mesh upper, size 10",
            "Waterproof hiking boots for women, leather, ankle support",
            "Kids' light-up sneakers, velcro strap, sizes 11-3",
            "Stainless steel insulated water bottle 750 ml, keeps drinks cold 24 h",
            "Organic cotton crew-neck T-shirt, pack of 3, navy/grey/white",
            "Noise-cancelling over-ear Bluetooth headphones, 30-hour battery",
            "Non-stick frying pan 28 cm, induction compatible, PFOA free",
            "Ergonomic office chair with lumbar support and adjustable armrests");

    private EmbedBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path models = Path.of(args.length > 0 ? args[0] : "target/models");
        List<String> queries = args.length > 1 ? Files.readAllLines(Path.of(args[1])) : defaultQueries();
        ModelRegistry registry = ModelRegistry.scan(models);
        BundledModel minilm = registry.get("all-minilm-l6-v2-q");

        List<String> ids = List.copyOf(registry.ids());
        List<WordPieceTokenizer> tokenizers = new ArrayList<>();
        for (String id : ids) {
            tokenizers.add(registry.get(id).loadTokenizer());
        }
        long sink = 0;
        long[] best = new long[ids.size()];
        Arrays.fill(best, Long.MAX_VALUE);
        for (int round = 0; round < 60; round++) {
            for (int m = 0; m < ids.size(); m++) {
                WordPieceTokenizer tokenizer = tokenizers.get(m);
                int max = registry.get(ids.get(m)).manifest().maxTokens();
                long t0 = System.nanoTime();
                for (String q : queries) {
                    sink += tokenizer.encode(q, max).length();
                }
                if (round >= 20) {
                    best[m] = Math.min(best[m], System.nanoTime() - t0);
                }
            }
        }
        for (int m = 0; m < ids.size(); m++) {
            WordPieceTokenizer tokenizer = tokenizers.get(m);
            int max = registry.get(ids.get(m)).manifest().maxTokens();
            double avgTokens = queries.stream()
                    .mapToInt(q -> tokenizer.encode(q, max).length())
                    .average()
                    .orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "tokenizer %-20s %.2f us/query (best of 40 passes over %d queries, %.1f tokens avg)%n",
                    ids.get(m),
                    best[m] / 1000.0 / queries.size(),
                    queries.size(),
                    avgTokens);
        }
        if (sink == 42) {
            System.out.println();
        }

        String query = "red running shoes for men";
        for (int threads : new int[] {1, 2}) {
            try (OnnxEmbedder embedder = OnnxEmbedder.load(minilm, threads)) {
                embedder.warmUp();
                System.out.printf(
                        Locale.ROOT,
                        "MiniLM threads=%d: query [%s] is %d tokens%n",
                        threads,
                        query,
                        embedder.tokenizer().encode(query, 128).length());
                long[] times = new long[300];
                for (int i = 0; i < times.length; i++) {
                    long t0 = System.nanoTime();
                    embedder.embed(query);
                    times[i] = System.nanoTime() - t0;
                }
                Arrays.sort(times);
                System.out.printf(
                        Locale.ROOT,
                        "  one query: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n",
                        times[times.length / 2] / 1e6,
                        times[times.length * 9 / 10] / 1e6,
                        times[times.length * 99 / 100] / 1e6);
                docsPerSecond(embedder, "batch 1 (default)");
            }
            try (OnnxEmbedder batched = OnnxEmbedder.load(minilm, threads, 32)) {
                batched.warmUp();
                docsPerSecond(batched, "batch 32 (padded)");
            }
        }
    }

    private static void docsPerSecond(OnnxEmbedder embedder, String label) {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            docs.add(TITLES.get(i % TITLES.size()) + " #" + i);
        }
        embedder.embed(docs);
        int rounds = 8;
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            embedder.embed(docs);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double tokens = docs.stream()
                .mapToInt(d -> embedder.tokenizer().encode(d, 128).length())
                .average()
                .orElse(0);
        System.out.printf(
                Locale.ROOT,
                "  32 titles (%.1f tokens avg), %s: %.0f docs/s%n",
                tokens,
                label,
                rounds * docs.size() / seconds);
    }

    private static List<String> defaultQueries() {
        return List.of(
                "running shoes",
                "red running shoes for men",
                "waterproof hiking boots women size 8",
                "bluetooth headphones noise cancelling",
                "Café crème brûlée",
                "北京 跑步鞋",
                "iphone 15 pro max case",
                "kids light up sneakers",
                "stainless steel water bottle 750ml",
                "organic cotton t-shirt pack of 3");
    }
}
