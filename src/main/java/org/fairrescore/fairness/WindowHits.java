package org.fairrescore.fairness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One window's hits, as the rules and diversity read them; every array is indexed by the hit's position in the input
 * (any order) and is either null (not read) or as long as {@code scores}. Build with {@link #of} and the
 * {@code with...} methods, from the keyword values the window loaded or from ids.
 *
 * @param scores        blend of each hit, in [0, 1] (MMR weighs it against cosines)
 * @param shops         shop id of each hit for {@link ShopCap} and {@link ExposureShare}; hits without a shop carry
 *                      distinct ids (a shop of their own); null: every hit is a shop of its own
 * @param protectedHits whether each hit is protected, for {@link FairTopK}; null: none is
 * @param groups        protected group of each hit for {@link GroupFairTopK}, an index into its groups, or -1 for
 *                      none; null: every hit is in no group
 * @param vectors       unit vector of each hit for {@link Diversity}; a null entry (no vector) counts as dissimilar to
 *                      every hit; null: no vectors (MMR then keeps score order, no near duplicates)
 */
public record WindowHits(float[] scores, int[] shops, boolean[] protectedHits, int[] groups, float[][] vectors) {

    public WindowHits {
        if (scores == null) {
            throw new IllegalArgumentException("scores must not be null");
        }
        int n = scores.length;
        if ((shops != null && shops.length != n)
                || (protectedHits != null && protectedHits.length != n)
                || (groups != null && groups.length != n)
                || (vectors != null && vectors.length != n)) {
            throw new IllegalArgumentException("every per-hit array must have one entry per hit (" + n + ")");
        }
    }

    /** Hits with these scores only: each its own shop, none protected, no groups, no vectors. */
    public static WindowHits of(float[] scores) {
        return new WindowHits(scores, null, null, null, null);
    }

    public int size() {
        return scores.length;
    }

    /** Shops from ids (hits without a shop must carry distinct ids). */
    public WindowHits withShopIds(int[] shopIds) {
        return new WindowHits(scores, shopIds, protectedHits, groups, vectors);
    }

    /** Shops from the shop field's values; a null value makes the hit a shop of its own. */
    public WindowHits withShops(String[] keys) {
        if (keys == null) {
            return withShopIds(null);
        }
        int[] ids = new int[keys.length];
        Map<String, Integer> dense = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            ids[i] = keys[i] == null ? -1 - i : dense.computeIfAbsent(keys[i], k -> dense.size());
        }
        return withShopIds(ids);
    }

    public WindowHits withProtected(boolean[] protectedHits) {
        return new WindowHits(scores, shops, protectedHits, groups, vectors);
    }

    /** Protected where the field's value equals {@code protectedValue}. */
    public WindowHits withProtected(String[] keys, String protectedValue) {
        boolean[] prot = new boolean[scores.length];
        if (keys != null && protectedValue != null) {
            for (int i = 0; i < keys.length; i++) {
                prot[i] = protectedValue.equals(keys[i]);
            }
        }
        return withProtected(prot);
    }

    public WindowHits withGroupIds(int[] groupIds) {
        return new WindowHits(scores, shops, protectedHits, groupIds, vectors);
    }

    /** Groups from the field's values: the index of the value in {@code groupValues} (e.g. a {@link GroupFairTopK}'s groups), else -1. */
    public WindowHits withGroups(String[] keys, List<String> groupValues) {
        int[] ids = new int[scores.length];
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < groupValues.size(); g++) {
            index.putIfAbsent(groupValues.get(g), g);
        }
        for (int i = 0; i < ids.length; i++) {
            ids[i] = keys == null || keys[i] == null ? -1 : index.getOrDefault(keys[i], -1);
        }
        return withGroupIds(ids);
    }

    public WindowHits withVectors(float[][] vectors) {
        return new WindowHits(scores, shops, protectedHits, groups, vectors);
    }
}
