package org.fairrescore.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One listing of the demo marketplace.
 *
 * @param id          document id ({@code p00001} ...)
 * @param title       listing title
 * @param description listing description
 * @param shop        shop name (keyword)
 * @param category    product category (keyword)
 * @param price       price in euros, two decimals
 * @param intent      the product group it was generated in: a demo query's intent ({@code running_shoes}) or a
 *                    filler group ({@code garden}); for evaluation
 * @param concept     the kind of product it is ({@code running_shoe}, {@code shoe_rack}); relevance per query is
 *                    decided by concept
 * @param phrasing    how its text overlaps its intent's query; {@code null} for filler products
 */
public record Product(String id, String title, String description, String shop, String category, double price,
                      String intent, String concept, Phrasing phrasing) {

    /** The document as indexed: the searchable fields plus the evaluation fields. */
    public Map<String, Object> toSource() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("id", id);
        source.put("title", title);
        source.put("description", description);
        source.put("shop", shop);
        source.put("category", category);
        source.put("price", price);
        source.put("intent", intent);
        source.put("concept", concept);
        if (phrasing != null) {
            source.put("phrasing", phrasing.name().toLowerCase(java.util.Locale.ROOT));
        }
        return source;
    }
}
