package org.fairrescore.fairness;

import java.util.HashMap;
import java.util.Map;

/**
 * Applies a {@link QuotaPolicy} to one window. The same code runs per shard in the rescorer and over the merged
 * hits in the coordinator's search pipeline processor.
 */
public final class QuotaReorderer {

    private final MTableCache mtables;

    public QuotaReorderer(MTableCache mtables) {
        this.mtables = mtables;
    }

    /**
     * @param scores       blended scores of the window's hits, any order
     * @param groups       shop group of each hit (distinct ids for hits without a shop)
     * @param protectedHit whether each hit is protected (used by {@code fair_topk} only; may be null otherwise)
     */
    public Reordering apply(float[] scores, int[] groups, boolean[] protectedHit, QuotaPolicy policy) {
        return switch (policy) {
            case QuotaPolicy.None none -> identity(scores);
            case ShopCap cap -> CapReorderer.reorder(scores, groups, cap);
            case ExposureShare share -> ShareReorderer.reorder(scores, groups, share);
            case FairTopK fair ->
                FairTopKReorderer.reorder(
                        scores,
                        protectedHit,
                        mtables.get(scores.length, fair.p(), fair.alpha()).minimums());
        };
    }

    /**
     * Places one window under {@code policy}: its hits grouped by their quota field's value (a shop; hits without one
     * are a group each), protected where that value is {@code protectedValue}, reordered, and scored 1 + blend,
     * strictly decreasing. The rescorer does this per shard and the search pipeline over the merged hits.
     *
     * @param blends         the blend of each hit, in [0, 1], in any order
     * @param keys           the quota field's value of each hit (null entries: none), or null when the policy reads no field
     * @param protectedValue the value of the field that marks a protected hit ({@code fair_topk}), or null
     */
    public Placement place(float[] blends, String[] keys, String protectedValue, QuotaPolicy policy) {
        int n = blends.length;
        int[] groups = new int[n];
        boolean[] protectedHits = protectedValue == null ? null : new boolean[n];
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String key = keys == null ? null : keys[i];
            groups[i] = key == null ? -1 - i : ids.computeIfAbsent(key, k -> ids.size());
            if (protectedHits != null) {
                protectedHits[i] = protectedValue.equals(key);
            }
        }
        Reordering reordering = apply(blends, groups, protectedHits, policy);
        float[] inOrder = new float[n];
        for (int p = 0; p < n; p++) {
            inOrder[p] = blends[reordering.order()[p]];
        }
        return new Placement(reordering, Placement.windowScores(inOrder), protectedHits);
    }

    /** The m-table used for a window of {@code k} hits under {@code fair}. */
    public MTable mtable(int k, FairTopK fair) {
        return mtables.get(k, fair.p(), fair.alpha());
    }

    static Reordering identity(float[] scores) {
        return CapReorderer.reorder(scores, new int[scores.length], ShopCap.NONE);
    }
}
