package org.fairrescore.eval;

import java.util.List;
import java.util.Locale;

/**
 * How the report runs: the rescore window, what is embedded, the quota parameters of each mode, how many positions
 * are measured.
 *
 * @param window         {@code window_size} of the rescore (hits per shard; the indices have one shard)
 * @param k              the measured page: metrics @k, quotas checked on the top k
 * @param fields         the fields the rescorer embeds
 * @param semanticWeight the blend weight in every clause, or null: the index default ({@code index.fair_rescore.semantic_weight}),
 *                       what a search that names no weight gets
 * @param maxPerShop     {@code cap}: at most this many per shop ...
 * @param capWindow      ... in any this many consecutive positions
 * @param maxShare       {@code share}: largest share of a prefix's exposure one shop may hold ...
 * @param shareMinPrefix ... from this prefix length on
 * @param protectedShare {@code fair_topk}: FA*IR's minimum proportion p of long-tail hits
 * @param alpha          {@code fair_topk}: FA*IR's significance
 * @param repeat         timed searches per query and configuration (the ranking of the first is measured)
 * @param storedVectors  true: documents are embedded once at ingest by the plugin's {@code fair_rescore_embed}
 *                       processor into a {@code fair_rescore_vector} field, and searches embed only the query;
 *                       false: the rescorer embeds every window hit on the fly, per search
 */
public record RunSettings(int window, int k, List<String> fields, Double semanticWeight, int maxPerShop, int capWindow,
                          double maxShare, int shareMinPrefix, double protectedShare, double alpha, int repeat,
                          boolean storedVectors) {

    /**
     * The demo's window and fields (100 hits, title and description): with stored vectors a search embeds only the
     * query, so the window costs little. Without them keep it small (e.g. window 50, title only).
     * FA*IR's p is 0.5: its table is built for the whole window and corrected for testing each of its 100 prefixes,
     * which at p = 0.3 (alpha 0.1) demands no protected hit at all in the top 10; at 0.5 it demands 1 from position
     * 6 and 2 from position 9.
     */
    public static RunSettings defaults() {
        return new RunSettings(100, 10, List.of("title", "description"), null, 2, 10, 0.35, 5, 0.5, 0.1, 1, true);
    }

    public RunSettings {
        fields = List.copyOf(fields);
        if (window < 1 || k < 1 || k > window) {
            throw new IllegalArgumentException("need 1 <= k <= window, got k=" + k + ", window=" + window);
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("name at least one field to embed");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
    }

    public String describe() {
        return String.format(Locale.ROOT, "window %d, fields %s (%s), semantic_weight %s; cap %d per %d; share %s from "
                + "prefix %d; fair_topk p=%s alpha=%s on long-tail shops; metrics @%d; %d timed search%s per query",
            window, fields, storedVectors ? "vectors stored at ingest" : "embedded on the fly per search",
            semanticWeight == null ? "the index default" : semanticWeight,
            maxPerShop, capWindow, maxShare, shareMinPrefix, protectedShare, alpha, k, repeat, repeat == 1 ? "" : "es");
    }
}
