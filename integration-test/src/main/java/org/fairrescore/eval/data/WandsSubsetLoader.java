package org.fairrescore.eval.data;

import org.fairrescore.demo.CatalogGenerator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads the team's WANDS subset (real Wayfair products with human labels, MIT licence; {@code shared/data/wands-subset},
 * see {@code shared/README.md}): three tab-separated files with a header row,
 * <ul>
 *   <li>{@code products.tsv}: {@code product_id, product_name, product_class, category_hierarchy};</li>
 *   <li>{@code queries.tsv}: {@code query_id, query, query_class} (the layout {@link WandsLoader#readQueries} reads);</li>
 *   <li>{@code labels.tsv}: {@code query_id, product_id, label} with Exact / Partial / Irrelevant, gains 2 / 1 / 0
 *       ({@link WandsLoader#gain}); unlabelled pairs gain 0.</li>
 * </ul>
 * Unlike the published WANDS folder ({@link WandsLoader}) there is no {@code id} column in the labels, the category
 * column is {@code category_hierarchy}, and there are no descriptions or features.
 *
 * <p>WANDS names no seller. So that shop quotas and shop metrics mean something, every product is given a seeded
 * shop: {@value #SHOPS} shops with Zipf sizes (shop of rank r lists a share proportional to 1/r, sizes by
 * {@link CatalogGenerator#zipfSizes}), dealt to the products in a {@link Random} shuffle of their numeric id order with
 * a fixed seed. The same files and seed always give the same shops. The shops are synthetic; the labels are real.
 */
public final class WandsSubsetLoader {

    /** The dataset (and index name) of the subset. */
    public static final String NAME = "wands-subset";
    /** Seeded shops the products are dealt to. */
    public static final int SHOPS = 200;
    /** Zipf exponent of the seeded shop sizes. */
    public static final double ZIPF_EXPONENT = 1.0;
    /** Seed of the shuffle that deals products to shops. */
    public static final long SHOP_SEED = 20240611L;

    /** A product as indexed: its real WANDS text and its seeded shop. */
    public record Product(String id, String name, String productClass, String category, String shop) {
    }

    /**
     * The loaded subset.
     *
     * @param folder        where it was read from
     * @param products      every product, in numeric id order
     * @param dataset       the judged queries (numeric id order) over the products, with the seeded shops and their
     *                      tiers (the largest shops that list half of the products are head, the rest the long tail)
     * @param labels        label rows read for the queries
     * @param repeated      rows that label a (query, product) pair labelled before; the last row's label counts
     * @param conflicting   of those, rows that change the pair's label
     * @param labelsMissing labels naming a product that {@code products.tsv} does not hold (left out of the ideal DCG)
     * @param queriesDropped queries without any Exact or Partial product (NDCG undefined)
     */
    public record Subset(Path folder, List<Product> products, Dataset dataset, int labels, int repeated,
                         int conflicting, int labelsMissing, int queriesDropped) {

        public Subset {
            products = List.copyOf(products);
        }

        /** One line on what was loaded. */
        public String description() {
            Map<String, Integer> sizes = dataset.shopSizes();
            int largest = sizes.isEmpty() ? 0 : sizes.values().iterator().next();
            int pairs = dataset.queries().stream().mapToInt(q -> q.gains().size()).sum();
            return String.format(Locale.ROOT, "WANDS subset (%s): %d real Wayfair products, %d real queries with human "
                    + "labels (%d label rows, %d labelled query-product pairs%s, Exact 2 / Partial 1 / Irrelevant 0%s%s); "
                    + "shops: %d seeded Zipf shops (seed %d, largest %d products), not WANDS data", folder.getFileName(),
                products.size(), dataset.queries().size(), labels, pairs,
                repeated == 0 ? "" : String.format(Locale.ROOT, ": %d rows repeat a pair, %d of them with another label; "
                    + "the last row counts", repeated, conflicting),
                labelsMissing == 0 ? "" : ", " + labelsMissing + " labels naming no product left out",
                queriesDropped == 0 ? "" : ", " + queriesDropped + " queries without a relevant product dropped",
                sizes.size(), SHOP_SEED, largest);
        }
    }

    private WandsSubsetLoader() {}

    public static Subset load(Path folder) {
        return load(folder, SHOPS, SHOP_SEED);
    }

    public static Subset load(Path folder, int shops, long seed) {
        Path productFile = folder.resolve("products.tsv");
        Path queryFile = folder.resolve("queries.tsv");
        Path labelFile = folder.resolve("labels.tsv");

        List<String[]> rows = new ArrayList<>();
        Tables.forEach(productFile, row -> rows.add(new String[] {EsciLoader.require(row, "product_id", productFile)
            .strip(), EsciLoader.require(row, "product_name", productFile).strip(),
            EsciLoader.require(row, "product_class", productFile).strip(),
            EsciLoader.require(row, "category_hierarchy", productFile).strip()}));
        rows.sort(Comparator.comparing((String[] r) -> numeric(r[0], productFile)).thenComparing(r -> r[0]));
        String[] shopOf = assignShops(rows.size(), shops, seed);
        List<Product> products = new ArrayList<>(rows.size());
        List<Item> items = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            products.add(new Product(r[0], r[1], r[2], r[3], shopOf[i]));
            items.add(new Item(r[0], r[1], r[2], shopOf[i], r[2]));
        }

        List<WandsLoader.Query> queries = WandsLoader.readQueries(queryFile);
        queries.sort(Comparator.comparingLong((WandsLoader.Query q) -> numeric(q.id(), queryFile)));
        Map<String, Map<String, Double>> judgments = new LinkedHashMap<>();
        for (WandsLoader.Query q : queries) {
            if (judgments.put(q.id(), new LinkedHashMap<>()) != null) {
                throw new IllegalArgumentException(queryFile + ": query id " + q.id() + " appears twice");
            }
        }
        // labels[0]: rows for the queries; [1]: rows repeating a pair; [2]: of those, rows changing its label
        int[] labels = new int[3];
        Tables.forEach(labelFile, row -> {
            String query = EsciLoader.require(row, "query_id", labelFile).strip();
            String product = EsciLoader.require(row, "product_id", labelFile).strip();
            double gain = WandsLoader.gain(EsciLoader.require(row, "label", labelFile));
            Map<String, Double> forQuery = judgments.get(query);
            if (forQuery != null) {
                labels[0]++;
                // WANDS repeats a few pairs; the last row wins, as in WandsLoader
                Double before = forQuery.put(product, gain);
                if (before != null) {
                    labels[1]++;
                    labels[2] += before != gain ? 1 : 0;
                }
            }
        });

        List<JudgedQuery> judged = new ArrayList<>();
        for (WandsLoader.Query q : queries) {
            judged.add(new JudgedQuery(q.id(), q.text(), judgments.get(q.id())));
        }
        Set<String> ids = products.stream().map(Product::id).collect(Collectors.toSet());
        int missing = 0;
        for (JudgedQuery q : judged) {
            missing += (int) q.gains().keySet().stream().filter(id -> ids.contains(id) == false).count();
        }
        List<JudgedQuery> measurable = Dataset.measurable(judged, ids);
        Dataset dataset = new Dataset(NAME, "WANDS subset: real Wayfair products and human labels, seeded shops",
            items, measurable, items.isEmpty() ? Map.of() : Dataset.tiersBySize(items, 0.5));
        return new Subset(folder, products, dataset, labels[0], labels[1], labels[2], missing,
            judged.size() - measurable.size());
    }

    /**
     * The shop of each of {@code n} products (in their order): {@code shops} shops named {@code shop-001} ... with Zipf
     * sizes summing to {@code n}, dealt in the order of a seeded shuffle of the positions.
     */
    public static String[] assignShops(int n, int shops, long seed) {
        if (shops < 1) {
            throw new IllegalArgumentException("need at least one shop, got " + shops);
        }
        int[] sizes = CatalogGenerator.zipfSizes(n, shops, ZIPF_EXPONENT);
        List<Integer> positions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            positions.add(i);
        }
        Collections.shuffle(positions, new Random(seed));
        String[] out = new String[n];
        int next = 0;
        String format = "shop-%0" + Integer.toString(shops).length() + "d";
        for (int s = 0; s < shops; s++) {
            String name = String.format(Locale.ROOT, format, s + 1);
            for (int j = 0; j < sizes[s]; j++) {
                out[positions.get(next++)] = name;
            }
        }
        return out;
    }

    private static long numeric(String id, Path file) {
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": id \"" + id + "\" is not a number", e);
        }
    }
}
