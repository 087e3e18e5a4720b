package org.fairrescore.eval.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the Wayfair ANnotation DataSet (WANDS, Chen et al. 2022) from its folder of tab-separated files:
 * {@code product.csv} ({@code product_id, product_name, product_class, category hierarchy, product_description,
 * product_features, ...}), {@code query.csv} ({@code query_id, query, query_class}) and {@code label.csv}
 * ({@code id, query_id, product_id, label} with Exact / Partial / Irrelevant). Gains: Exact 2, Partial 1,
 * Irrelevant 0. The catalog is every product.
 *
 * <p>WANDS names no seller. The shop is taken from a column ({@code product_class} by default, a stand-in that makes
 * "one product class dominates the page" the thing quotas limit) or, with {@code features:KEY}, from that key of
 * {@code product_features} ({@code key:value|key:value}).
 */
public final class WandsLoader {

    public static final Map<String, Double> GAINS = Map.of("exact", 2.0, "partial", 1.0, "irrelevant", 0.0);

    /**
     * @param shop       a column name, or {@code features:KEY}
     * @param maxQueries at most this many queries (the smallest query ids), 0 for all
     */
    public record Options(String shop, int maxQueries) {
        public static Options defaults() {
            return new Options("product_class", 0);
        }
    }

    /** A WANDS query. */
    public record Query(String id, String text, String queryClass) {
    }

    private WandsLoader() {}

    /** The gain of a WANDS label. */
    public static double gain(String label) {
        Double g = GAINS.get(label.strip().toLowerCase(Locale.ROOT));
        if (g == null) {
            throw new IllegalArgumentException("not a WANDS label: \"" + label + "\" (expected Exact, Partial, Irrelevant)");
        }
        return g;
    }

    /** Reads {@code query.csv} (the shared {@code query.tsv} has the same layout). */
    public static List<Query> readQueries(Path file) {
        List<Query> queries = new ArrayList<>();
        Tables.forEach(file, row -> queries.add(new Query(EsciLoader.require(row, "query_id", file).strip(),
            EsciLoader.require(row, "query", file), row.getOrDefault("query_class", ""))));
        return queries;
    }

    public static Dataset load(Path folder, Options options) {
        Path productFile = folder.resolve("product.csv");
        Path queryFile = folder.resolve("query.csv");
        Path labelFile = folder.resolve("label.csv");

        List<Query> queries = readQueries(queryFile);
        queries.sort(Comparator.comparingLong((Query q) -> Long.parseLong(q.id())));
        if (options.maxQueries() > 0 && queries.size() > options.maxQueries()) {
            queries = new ArrayList<>(queries.subList(0, options.maxQueries()));
        }
        Map<String, Map<String, Double>> judgments = new LinkedHashMap<>();
        for (Query q : queries) {
            judgments.put(q.id(), new LinkedHashMap<>());
        }
        Tables.forEach(labelFile, row -> {
            Map<String, Double> forQuery = judgments.get(EsciLoader.require(row, "query_id", labelFile).strip());
            if (forQuery != null) {
                forQuery.put(EsciLoader.require(row, "product_id", labelFile).strip(),
                    gain(EsciLoader.require(row, "label", labelFile)));
            }
        });

        List<Item> items = new ArrayList<>();
        Tables.forEach(productFile, row -> items.add(new Item(EsciLoader.require(row, "product_id", productFile).strip(),
            EsciLoader.require(row, "product_name", productFile), row.getOrDefault("product_description", ""),
            shopOf(row, options.shop(), productFile))));

        List<JudgedQuery> judged = new ArrayList<>();
        for (Query q : queries) {
            judged.add(new JudgedQuery(q.id(), q.text(), judgments.get(q.id())));
        }
        List<JudgedQuery> measurable = Dataset.measurable(judged,
            items.stream().map(Item::id).collect(java.util.stream.Collectors.toSet()));
        String description = String.format(Locale.ROOT,
            "WANDS (%s): %d products, %d queries with a relevant product (%d dropped), gains Exact=2 Partial=1 "
                + "Irrelevant=0, shop := %s", folder.getFileName(), items.size(), measurable.size(),
            judged.size() - measurable.size(), options.shop());
        return new Dataset("wands", description, items, measurable, Dataset.tiersBySize(items, 0.5));
    }

    static String shopOf(Map<String, String> row, String spec, Path file) {
        if (spec.startsWith("features:")) {
            String key = spec.substring("features:".length()).strip().toLowerCase(Locale.ROOT);
            for (String pair : row.getOrDefault("product_features", "").split("\\|")) {
                int colon = pair.indexOf(':');
                if (colon > 0 && pair.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(key)) {
                    return pair.substring(colon + 1).strip();
                }
            }
            return null;
        }
        return EsciLoader.require(row, spec, file);
    }
}
