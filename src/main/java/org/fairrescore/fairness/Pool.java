package org.fairrescore.fairness;

/**
 * The hits not placed yet, by label: each label's <em>head</em> (its best unplaced hit) in a bit set over score ranks,
 * so walking the set bits visits the labels in the order of their best hit, as {@link RankedGroups} does for shops.
 * Any hit may be taken (MMR may take a label's second-best hit first); {@link #untake} undoes the last
 * {@link #take}s in reverse order, which the feasibility search relies on.
 */
final class Pool {

    private final RuleModel model;
    final long[] heads;
    private final int[] headOf;
    private final boolean[] taken;
    /** Unplaced hits of each label. */
    final int[] left;

    private int firstFree;

    Pool(RuleModel model) {
        this.model = model;
        this.heads = model.ranked.heads();
        this.headOf = model.ranked.firstRank.clone();
        this.taken = new boolean[model.n];
        this.left = model.labelSize.clone();
    }

    /** The best unplaced rank, or -1. */
    int first() {
        while (firstFree < taken.length && taken[firstFree]) {
            firstFree++;
        }
        return firstFree < taken.length ? firstFree : -1;
    }

    boolean isTaken(int rank) {
        return taken[rank];
    }

    void take(int rank) {
        int label = model.labelOfRank[rank];
        taken[rank] = true;
        left[label]--;
        if (headOf[label] == rank) {
            heads[rank >>> 6] &= ~(1L << rank);
            int next = model.ranked.nextRank[rank];
            while (next >= 0 && taken[next]) {
                next = model.ranked.nextRank[next];
            }
            headOf[label] = next;
            if (next >= 0) {
                heads[next >>> 6] |= 1L << next;
            }
        }
    }

    void untake(int rank) {
        int label = model.labelOfRank[rank];
        taken[rank] = false;
        left[label]++;
        if (rank < firstFree) {
            firstFree = rank;
        }
        int head = headOf[label];
        if (head < 0 || rank < head) {
            if (head >= 0) {
                heads[head >>> 6] &= ~(1L << head);
            }
            headOf[label] = rank;
            heads[rank >>> 6] |= 1L << rank;
        }
    }
}
