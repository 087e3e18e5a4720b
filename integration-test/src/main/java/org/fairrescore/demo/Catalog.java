package org.fairrescore.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A generated demo marketplace: shops, products and the demo queries with graded relevance.
 *
 * @param seed     the seed it was generated from
 * @param shops    shops by rank, largest first
 * @param products products in id order
 * @param queries  one query per intent, in a fixed order
 */
public record Catalog(long seed, List<Shop> shops, List<Product> products, List<DemoQuery> queries) {

    public Catalog {
        shops = List.copyOf(shops);
        products = List.copyOf(products);
        queries = List.copyOf(queries);
    }

    /** The query with this text. */
    public DemoQuery query(String text) {
        return queries.stream().filter(q -> q.text().equals(text)).findFirst()
            .orElseThrow(() -> new NoSuchElementException("no demo query \"" + text + "\"; known: "
                + queries.stream().map(DemoQuery::text).toList()));
    }

    /** Whether this text is one of the demo queries. */
    public boolean hasQuery(String text) {
        return queries.stream().anyMatch(q -> q.text().equals(text));
    }

    /** Number of products per shop, largest shop first. */
    public Map<String, Integer> productsPerShop() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Shop shop : shops) {
            counts.put(shop.name(), 0);
        }
        for (Product p : products) {
            counts.merge(p.shop(), 1, Integer::sum);
        }
        return counts;
    }
}
