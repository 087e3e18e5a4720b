package org.fairrescore.fairness;

import java.util.Arrays;

/**
 * A window's hits in score order, grouped by shop, in flat primitive arrays (no boxing, no per-group objects).
 *
 * <p>Hits are addressed by their <em>rank</em>: their position in plain score order (score descending, ties by input
 * index, as {@link CapReorderer#scoreOrder}). A shop's hits form a chain of ranks ({@link #firstRank},
 * {@link #nextRank}), so a shop's k-th best hit is k steps down its chain. Dense shop ids are assigned in order of
 * first appearance in the input.
 *
 * <p>The reorderers keep the shops' current <em>heads</em> (each shop's best hit not yet placed) as a bit set over
 * ranks: the best head is the lowest set bit, and walking the set bits visits the heads in score order. This is what
 * a priority queue of shops keyed by their head would give, in {@code O(n / 64)} word steps and no comparator calls.
 */
final class RankedGroups {

    /** {@code byScore[r]}: input index of the hit of rank {@code r}. */
    final int[] byScore;
    /** {@code rankByScore[i]}: rank of input hit {@code i}. */
    final int[] rankByScore;
    /** Dense shop id of the hit of each rank. */
    final int[] groupOfRank;
    /** Rank of the next-best hit of the same shop, or -1. */
    final int[] nextRank;
    /** Rank of each shop's best hit. */
    final int[] firstRank;
    /** Number of hits of each shop. */
    final int[] size;

    private RankedGroups(
            int[] byScore, int[] rankByScore, int[] groupOfRank, int[] nextRank, int[] firstRank, int[] size) {
        this.byScore = byScore;
        this.rankByScore = rankByScore;
        this.groupOfRank = groupOfRank;
        this.nextRank = nextRank;
        this.firstRank = firstRank;
        this.size = size;
    }

    int count() {
        return firstRank.length;
    }

    static RankedGroups of(float[] scores, int[] groups) {
        final int n = scores.length;
        final int[] byScore = scoreOrder(scores);
        final int[] rankByScore = new int[n];
        for (int r = 0; r < n; r++) {
            rankByScore[byScore[r]] = r;
        }
        // dense ids in order of first appearance: open addressing on the raw ids (power-of-two table, linear probing)
        final int[] dense = new int[n];
        int capacity = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
        final int[] keys = new int[capacity];
        final int[] values = new int[capacity];
        java.util.Arrays.fill(values, -1);
        final int mask = capacity - 1;
        int count = 0;
        for (int i = 0; i < n; i++) {
            int key = groups[i];
            int slot = mix(key) & mask;
            while (values[slot] >= 0 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (values[slot] < 0) {
                keys[slot] = key;
                values[slot] = count++;
            }
            dense[i] = values[slot];
        }
        final int[] groupOfRank = new int[n];
        final int[] nextRank = new int[n];
        final int[] firstRank = new int[count];
        final int[] size = new int[count];
        final int[] last = firstRank; // filled backwards: the last rank seen is the first in score order
        java.util.Arrays.fill(last, -1);
        for (int r = n - 1; r >= 0; r--) {
            int k = dense[byScore[r]];
            groupOfRank[r] = k;
            nextRank[r] = last[k];
            last[k] = r;
            size[k]++;
        }
        return new RankedGroups(byScore, rankByScore, groupOfRank, nextRank, firstRank, size);
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** A fresh head set: every shop's best hit. */
    long[] heads() {
        long[] heads = new long[(byScore.length + 63) >>> 6];
        for (int r : firstRank) {
            heads[r >>> 6] |= 1L << r;
        }
        return heads;
    }

    /** Removes head {@code r} from the set; its shop's next hit, if any, becomes the shop's head. */
    void take(long[] heads, int r) {
        heads[r >>> 6] &= ~(1L << r);
        int next = nextRank[r];
        if (next >= 0) {
            heads[next >>> 6] |= 1L << next;
        }
    }

    /** The lowest set rank at or after {@code from}, or -1. */
    static int nextHead(long[] heads, int from) {
        int word = from >>> 6;
        if (word >= heads.length) {
            return -1;
        }
        long bits = heads[word] & (-1L << from);
        while (true) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            if (++word == heads.length) {
                return -1;
            }
            bits = heads[word];
        }
    }

    static boolean isHead(long[] heads, int r) {
        return (heads[r >>> 6] & (1L << r)) != 0;
    }

    /** Input indices sorted by score descending, ties by input index (a primitive sort of packed keys). */
    static int[] scoreOrder(float[] scores) {
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int bits = Float.floatToIntBits(scores[i] == 0f ? 0f : scores[i]); // -0 sorts as 0
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // order-preserving as a signed int
            keys[i] = ((long) ~sortable << 32) | i; // descending score, then ascending index
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}
