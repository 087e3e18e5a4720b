package org.fairrescore.eval.data;

import org.fairrescore.demo.Catalog;
import org.fairrescore.demo.CatalogGenerator;
import org.fairrescore.demo.DemoQuery;
import org.fairrescore.demo.Product;
import org.fairrescore.demo.Shop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's seeded marketplace as evaluation datasets: 60 Zipf-sized shops (3 head marketplaces, 7 mid-size
 * stores, 50 long-tail specialists), 8 judged queries per catalog with graded relevance for every product (exact 2,
 * partial 1, else 0). Several seeds give several independent catalogs, each indexed on its own, and so more queries.
 */
public final class SeededCatalogs {

    private SeededCatalogs() {}

    /** The catalog of one seed. */
    public static Dataset of(long seed, int products) {
        Catalog catalog = new CatalogGenerator(seed, products).generate();
        List<Item> items = new ArrayList<>(catalog.products().size());
        for (Product p : catalog.products()) {
            items.add(new Item(p.id(), p.title(), p.description(), p.shop(), p.category()));
        }
        List<JudgedQuery> queries = new ArrayList<>();
        for (DemoQuery q : catalog.queries()) {
            Map<String, Double> gains = new LinkedHashMap<>();
            q.grades().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> gains.put(e.getKey(), (double) e.getValue().gain()));
            queries.add(new JudgedQuery(q.intent(), q.text(), gains));
        }
        Map<String, String> tiers = new LinkedHashMap<>();
        for (Shop s : catalog.shops()) {
            tiers.put(s.name(), s.tier().name().toLowerCase(Locale.ROOT));
        }
        String description = String.format(Locale.ROOT,
            "seeded marketplace (seed %d): %d products, %d shops (%d head, %d mid, %d tail), %d judged queries",
            seed, items.size(), catalog.shops().size(), count(tiers, "head"), count(tiers, "mid"),
            count(tiers, Dataset.TAIL), queries.size());
        return new Dataset("seed-" + seed, description, items, Dataset.measurable(queries,
            items.stream().map(Item::id).collect(java.util.stream.Collectors.toSet())), tiers);
    }

    /** {@code count} catalogs from consecutive seeds starting at {@code firstSeed}. */
    public static List<Dataset> of(long firstSeed, int count, int products) {
        List<Dataset> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(of(firstSeed + i, products));
        }
        return out;
    }

    private static long count(Map<String, String> tiers, String tier) {
        return tiers.values().stream().filter(tier::equals).count();
    }
}
