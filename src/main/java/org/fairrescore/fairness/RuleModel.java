package org.fairrescore.fairness;

/**
 * A window's hits as the rules see them: each hit has a <em>label</em>, the combination of what any rule reads of it
 * (its shop for the cap and the share, whether it is protected for FA*IR, its group for the group minimums). Hits
 * with the same label are interchangeable for every rule, so feasibility is decided over labels, and among hits of
 * one label the rules never prefer one to another. Labels are dense ids in order of first appearance in the input;
 * {@link #ranked} keeps each label's hits in score order ({@link RankedGroups} over labels).
 */
final class RuleModel {

    final int n;
    final float[] scores;
    final RankedGroups ranked;
    /** Label of each input hit. */
    final int[] labelOfHit;
    /** Label of the hit of each score rank. */
    final int[] labelOfRank;

    final int labels;
    /** Dense shop id of each label; shop count. */
    final int[] shopOfLabel;

    final int shops;
    /** 0 when the label is protected ({@link FairTopK}), else -1. */
    final int[] protectedOfLabel;
    /** Group index of the label ({@link GroupFairTopK}), or -1. */
    final int[] groupOfLabel;
    /** Hits of each label. */
    final int[] labelSize;

    private RuleModel(WindowHits hits) {
        this.n = hits.size();
        this.scores = hits.scores();
        final int[] shopOfHit = new int[n];
        LongIds shopIds = new LongIds(n); // shop ids are ints: widened, one id table for both uses
        for (int i = 0; i < n; i++) {
            shopOfHit[i] = hits.shops() == null ? i : shopIds.id(hits.shops()[i]);
        }
        this.shops = hits.shops() == null ? n : shopIds.size();
        final boolean[] prot = hits.protectedHits();
        final int[] group = hits.groups();
        final int[] rawLabel = new int[n];
        LongIds labelIds = new LongIds(n);
        for (int i = 0; i < n; i++) {
            long key = ((long) shopOfHit[i] << 32)
                    | ((prot != null && prot[i]) ? 1L << 31 : 0)
                    | ((group == null ? 0 : Math.max(-1, group[i]) + 1) & 0x7fffffffL);
            rawLabel[i] = labelIds.id(key);
        }
        this.ranked = RankedGroups.of(scores, rawLabel);
        this.labels = ranked.count();
        this.labelOfHit = new int[n];
        this.labelOfRank = ranked.groupOfRank;
        this.shopOfLabel = new int[labels];
        this.protectedOfLabel = new int[labels];
        this.groupOfLabel = new int[labels];
        this.labelSize = ranked.size;
        for (int i = 0; i < n; i++) {
            int label = ranked.groupOfRank[ranked.rankByScore[i]];
            labelOfHit[i] = label;
            shopOfLabel[label] = shopOfHit[i];
            protectedOfLabel[label] = prot != null && prot[i] ? 0 : -1;
            groupOfLabel[label] = group == null || group[i] < 0 ? -1 : group[i];
        }
    }

    static RuleModel of(WindowHits hits) {
        return new RuleModel(hits);
    }

    /** Dense ids of (int or long) keys in order of first appearance (open addressing). */
    private static final class LongIds {
        private final long[] keys;
        private final int[] values;
        private int size;

        LongIds(int n) {
            int capacity = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            java.util.Arrays.fill(values, -1);
        }

        int id(long key) {
            int mask = keys.length - 1;
            long h = key * 0x9E3779B97F4A7C15L;
            int slot = (int) (h ^ (h >>> 32)) & mask;
            while (values[slot] >= 0 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (values[slot] < 0) {
                keys[slot] = key;
                values[slot] = size++;
            }
            return values[slot];
        }

        int size() {
            return size;
        }
    }
}
