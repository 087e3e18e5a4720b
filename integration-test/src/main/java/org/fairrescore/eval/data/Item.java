package org.fairrescore.eval.data;

import java.util.Objects;

/**
 * One product of an evaluation catalog, as indexed.
 *
 * @param id          document id
 * @param title       title (the field the rescorer embeds in the report's runs)
 * @param description description; may be empty
 * @param shop        the seller (ESCI: {@code product_brand}); null when unknown, in which case the plugin and the
 *                    metrics treat the item as a group of its own
 * @param category    the product's category for the diversity metrics (seeded catalogs: the generator's category;
 *                    WANDS subset: {@code product_class}); null when the dataset has none
 */
public record Item(String id, String title, String description, String shop, String category) {
    public Item {
        Objects.requireNonNull(id, "id");
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        shop = shop == null || shop.isBlank() ? null : shop.strip();
        category = category == null || category.isBlank() ? null : category.strip();
    }

    /** An item of a dataset without categories. */
    public Item(String id, String title, String description, String shop) {
        this(id, title, description, shop, null);
    }

    /** The group the metrics count this item in: its shop, or a group of its own. */
    public String group() {
        return shop != null ? shop : "(no shop) " + id;
    }
}
