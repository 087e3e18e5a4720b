package org.fairrescore.eval.metrics;

import java.util.Objects;

/**
 * What a quota sees of one ranked hit: its shop (a hit without a shop is given a group of its own by the caller) and
 * whether it belongs to the protected group of {@code fair_topk}.
 */
public record Slot(String shop, boolean protectedHit) {
    public Slot {
        Objects.requireNonNull(shop, "shop");
    }
}
