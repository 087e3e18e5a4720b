package org.fairrescore.fairness;

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
            case FairTopK fair -> FairTopKReorderer.reorder(scores, protectedHit, mtables.get(scores.length, fair.p(), fair.alpha()).minimums());
        };
    }

    /** The m-table used for a window of {@code k} hits under {@code fair}. */
    public MTable mtable(int k, FairTopK fair) {
        return mtables.get(k, fair.p(), fair.alpha());
    }

    static Reordering identity(float[] scores) {
        return CapReorderer.reorder(scores, new int[scores.length], ShopCap.NONE);
    }
}
