package org.fairrescore.eval.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A catalog with judged queries, ready to be indexed and evaluated.
 *
 * @param name        short name, used in the index name and the report ({@code [a-z0-9-]})
 * @param description one line on where it came from
 * @param items       the catalog
 * @param queries     judged queries, each with at least one relevant item in the catalog
 * @param shopTiers   shop to tier ({@link #TAIL} marks the protected long tail of {@code fair_topk}); shops absent are
 *                    {@code head}
 */
public record Dataset(String name, String description, List<Item> items, List<JudgedQuery> queries,
                      Map<String, String> shopTiers) {

    /** The tier value that marks long-tail shops, the protected group of the report's {@code fair_topk} run. */
    public static final String TAIL = "tail";

    public Dataset {
        if (name.matches("[a-z0-9][a-z0-9-]*") == false) {
            throw new IllegalArgumentException("dataset name must be [a-z0-9-], got \"" + name + "\"");
        }
        items = List.copyOf(items);
        queries = List.copyOf(queries);
        shopTiers = Collections.unmodifiableMap(new LinkedHashMap<>(shopTiers));
        Set<String> ids = new LinkedHashSet<>();
        for (Item item : items) {
            if (ids.add(item.id()) == false) {
                throw new IllegalArgumentException("dataset " + name + ": duplicate item id " + item.id());
            }
        }
        Set<String> queryIds = new LinkedHashSet<>();
        for (JudgedQuery q : queries) {
            if (queryIds.add(q.id()) == false) {
                throw new IllegalArgumentException("dataset " + name + ": duplicate query id " + q.id());
            }
        }
    }

    /** The tier of a shop ({@code head}, {@code mid}, {@code tail}); items without a shop are {@code head}. */
    public String tier(String shop) {
        return shop == null ? "head" : shopTiers.getOrDefault(shop, "head");
    }

    public boolean isProtected(String shop) {
        return TAIL.equals(tier(shop));
    }

    /** Items per shop, largest first (ties by name); items without a shop are not counted. */
    public Map<String, Integer> shopSizes() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Item item : items) {
            if (item.shop() != null) {
                counts.merge(item.shop(), 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
            : Integer.compare(b.getValue(), a.getValue()));
        Map<String, Integer> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries) {
            sorted.put(e.getKey(), e.getValue());
        }
        return sorted;
    }

    /** 1-based rank of each shop by size (1 = the largest). */
    public Map<String, Integer> shopRanks() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (String shop : shopSizes().keySet()) {
            ranks.put(shop, ranks.size() + 1);
        }
        return ranks;
    }

    /**
     * Tiers from sizes alone, for catalogs that have none: the largest shops that together list {@code headShare} of
     * the items are {@code head}, the rest {@link #TAIL}.
     */
    public static Map<String, String> tiersBySize(List<Item> items, double headShare) {
        if ((headShare > 0 && headShare < 1) == false) {
            throw new IllegalArgumentException("head share must be in (0, 1), got " + headShare);
        }
        Dataset sizes = new Dataset("sizes", "", items, List.of(), Map.of());
        int total = 0;
        for (int n : sizes.shopSizes().values()) {
            total += n;
        }
        Map<String, String> tiers = new LinkedHashMap<>();
        int covered = 0;
        for (Map.Entry<String, Integer> e : sizes.shopSizes().entrySet()) {
            tiers.put(e.getKey(), covered < headShare * total ? "head" : TAIL);
            covered += e.getValue();
        }
        return tiers;
    }

    /** Drops judged queries without a relevant item among the catalog's items; returns how many were dropped. */
    public static List<JudgedQuery> measurable(List<JudgedQuery> queries, Set<String> itemIds) {
        List<JudgedQuery> out = new ArrayList<>();
        for (JudgedQuery q : queries) {
            Map<String, Double> present = new LinkedHashMap<>();
            q.gains().forEach((id, g) -> {
                if (itemIds.contains(id)) {
                    present.put(id, g);
                }
            });
            JudgedQuery kept = new JudgedQuery(q.id(), q.text(), present);
            if (kept.hasRelevant()) {
                out.add(kept);
            }
        }
        return out;
    }
}
