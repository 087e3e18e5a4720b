package org.fairrescore.eval.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads the Shopping Queries Dataset (ESCI, Reddy et al. 2022) from its two tables, in CSV, TSV or JSON lines (see
 * {@link Tables}; convert the published Parquet once):
 * <ul>
 *   <li>examples: {@code query_id, query, product_id, product_locale, esci_label, small_version, split} (other
 *       columns are ignored);</li>
 *   <li>products: {@code product_id, product_title, product_description, product_bullet_point, product_brand,
 *       product_locale}.</li>
 * </ul>
 * The catalog is the judged products of the chosen queries (ESCI judges up to 40 products per query; its 1.8M-product
 * table is only read to find their text). shop := {@code product_brand}; a product without a brand is a group of its
 * own. Tiers: the largest brands that together list half of the catalog are head, the rest the long tail.
 */
public final class EsciLoader {

    /**
     * @param locale       {@code us}, {@code es}, {@code jp}, or null for all
     * @param split        {@code train}, {@code test}, or null for both
     * @param smallVersion true: only the reduced Task 1 set ({@code small_version == 1})
     * @param maxQueries   at most this many queries (the smallest query ids), 0 for all
     * @param gains        gain per label
     */
    public record Options(String locale, String split, boolean smallVersion, int maxQueries, EsciGains gains) {
        public static Options defaults() {
            return new Options("us", "test", true, 0, EsciGains.OFFICIAL);
        }
    }

    private EsciLoader() {}

    public static Dataset load(Path examples, Path products, Options options) {
        Map<String, String> queryText = new LinkedHashMap<>();
        Map<String, Map<String, Double>> judgments = new LinkedHashMap<>();
        int[] rows = new int[1];
        Tables.forEach(examples, row -> {
            rows[0]++;
            // Every column a filter or the result reads is required, so a file in another layout fails loudly
            // instead of yielding an empty selection.
            String queryId = require(row, "query_id", examples);
            String query = require(row, "query", examples);
            String productId = require(row, "product_id", examples);
            String locale = require(row, "product_locale", examples);
            EsciLabel label = EsciLabel.parse(require(row, "esci_label", examples));
            if (options.locale() != null && options.locale().equalsIgnoreCase(locale) == false) {
                return;
            }
            if (options.split() != null && options.split().equalsIgnoreCase(require(row, "split", examples)) == false) {
                return;
            }
            if (options.smallVersion() && "1".equals(require(row, "small_version", examples).strip()) == false) {
                return;
            }
            queryText.putIfAbsent(queryId, query);
            judgments.computeIfAbsent(queryId, q -> new LinkedHashMap<>()).put(productId, options.gains().gain(label));
        });
        List<String> queryIds = new ArrayList<>(queryText.keySet());
        queryIds.sort(Comparator.comparing(EsciLoader::numericFirst).thenComparing(Comparator.naturalOrder()));
        if (options.maxQueries() > 0 && queryIds.size() > options.maxQueries()) {
            queryIds = queryIds.subList(0, options.maxQueries());
        }
        Set<String> wanted = new HashSet<>();
        for (String q : queryIds) {
            wanted.addAll(judgments.get(q).keySet());
        }

        Map<String, Item> items = new LinkedHashMap<>();
        Tables.forEach(products, row -> {
            String id = require(row, "product_id", products);
            if (wanted.contains(id) == false) {
                return;
            }
            if (options.locale() != null
                && options.locale().equalsIgnoreCase(row.getOrDefault("product_locale", options.locale())) == false) {
                return;
            }
            String description = row.getOrDefault("product_description", "");
            if (description.isBlank()) {
                description = row.getOrDefault("product_bullet_point", "");
            }
            items.putIfAbsent(id, new Item(id, require(row, "product_title", products), description,
                row.getOrDefault("product_brand", "")));
        });

        List<JudgedQuery> queries = new ArrayList<>();
        for (String q : queryIds) {
            queries.add(new JudgedQuery(q, queryText.get(q), judgments.get(q)));
        }
        List<JudgedQuery> measurable = Dataset.measurable(queries, items.keySet());
        List<Item> catalog = new ArrayList<>(items.values());
        String description = String.format(Locale.ROOT,
            "ESCI (%s; locale %s, split %s%s): %d of %d example rows, %d queries with a relevant product (%d dropped), "
                + "%d judged products found of %d, gains %s, shop := product_brand",
            examples.getFileName(), options.locale() == null ? "all" : options.locale(),
            options.split() == null ? "all" : options.split(), options.smallVersion() ? ", small_version" : "",
            judgments.values().stream().mapToInt(Map::size).sum(), rows[0], measurable.size(),
            queries.size() - measurable.size(), catalog.size(), wanted.size(), options.gains());
        return new Dataset("esci", description, catalog, measurable, Dataset.tiersBySize(catalog, 0.5));
    }

    private static long numericFirst(String id) {
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    static String require(Map<String, String> row, String column, Path file) {
        String v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException(file + " has no column \"" + column + "\" (columns: " + row.keySet() + ")");
        }
        return v;
    }
}
