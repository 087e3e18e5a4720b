package org.fairrescore.demo;

import java.util.List;

/**
 * A shop of the demo marketplace.
 *
 * @param name   the value of the product's {@code shop} field
 * @param rank   1 for the largest shop; sizes follow a Zipf law over the rank
 * @param tier   head, mid or tail
 * @param groups the product groups (intents or filler groups) it sells
 * @param size   how many products it lists
 */
public record Shop(String name, int rank, Tier tier, List<String> groups, int size) {
    public Shop {
        groups = List.copyOf(groups);
    }
}
