package org.fairrescore.bench;

import org.fairrescore.model.ModelRegistry;
import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.model.TextRole;
import org.fairrescore.model.VectorMath;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Would embedding the query texts of concurrent searches in one ONNX Runtime call change their vectors? For each
 * bundled model: the real queries and as many new texts (built as {@link SaturateBench} builds them), in arrival order
 * (not sorted by length, as concurrent searches would be grouped), embedded solo and in batches of 2, 4 and 8; the
 * cosine of each batched vector to its solo one and the CPU time of both. No node is needed.
 * Usage: QueryBatchDrift MODELS_DIR ESCI_JSON WANDS_TSV
 */
public final class QueryBatchDrift {

    private QueryBatchDrift() {}

    public static void main(String[] args) throws Exception {
        ModelRegistry models = ModelRegistry.scan(Path.of(args[0]));
        List<String> real = Queries.unique(Queries.esci(Path.of(args[1])), Queries.wands(Path.of(args[2])));
        Set<String> seen = new HashSet<>();
        real.forEach(q -> seen.add(q.toLowerCase(Locale.ROOT)));
        List<String> texts = new ArrayList<>(real);
        texts.addAll(SaturateBench.stream(real, real.size(), 1.0, 1.0, new Random(42), seen));
        java.util.Collections.shuffle(texts, new Random(43));
        System.out.printf(Locale.ROOT, "%d query texts (%d real, %d new), query role, 1 intra-op thread%n%n", texts.size(), real.size(),
            texts.size() - real.size());
        System.out.println("| model | batch | mean cosine to solo | min cosine | texts below 0.999 | ms per text (solo: batch 1) |");
        System.out.println("|---|---|---|---|---|---|");
        for (String id : models.ids()) {
            if (id.contains("-zh-")) {
                continue; // Chinese model, English queries
            }
            try (OnnxEmbedder embedder = OnnxEmbedder.load(models.get(id), 1, 8)) {
                embedder.embed(TextRole.QUERY, texts.subList(0, 100), 1, null); // warm
                long t0 = System.nanoTime();
                float[][] solo = embedder.embed(TextRole.QUERY, texts, 1, null);
                double soloMs = (System.nanoTime() - t0) / 1e6 / texts.size();
                System.out.printf(Locale.ROOT, "| %s | 1 | 1 | 1 | 0 | %.2f |%n", id, soloMs);
                for (int batch : new int[] { 2, 4, 8 }) {
                    long t1 = System.nanoTime();
                    float[][] batched = embedder.embed(TextRole.QUERY, texts, batch, null);
                    double ms = (System.nanoTime() - t1) / 1e6 / texts.size();
                    double sum = 0;
                    double min = 1;
                    int below = 0;
                    for (int i = 0; i < texts.size(); i++) {
                        double c = VectorMath.cosine(solo[i], batched[i]);
                        sum += c;
                        min = Math.min(min, c);
                        below += c < 0.999 ? 1 : 0;
                    }
                    System.out.printf(Locale.ROOT, "| %s | %d | %.5f | %.5f | %d of %d | %.2f |%n", id, batch, sum / texts.size(), min, below,
                        texts.size(), ms);
                }
            }
        }
    }
}
