package org.fairrescore.exposure;

import java.util.HashMap;
import java.util.Map;

/**
 * What one event credits to each shop's ledger entry: served or reported exposure, and merit from a rescore window
 * or a click. Units: exposure is the position weight {@code 1 / log2(1 + rank)} (rank 1 is worth 1, rank 10 0.29);
 * merit is a share of one search's relevance, so that every search weighs the same whatever its window holds.
 */
public final class Credits {

    private Credits() {}

    /** The exposure of a hit at {@code rank} (1-based), the DCG discount: the chance a user looks at it. */
    public static double positionWeight(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be at least 1, got " + rank);
        }
        return 1.0 / log2(1 + rank);
    }

    /**
     * The merit of a click at {@code rank}: one search's merit divided by the chance the clicked hit was looked at
     * ({@link #positionWeight}), the inverse-propensity correction of position bias (Joachims, Swaminathan &amp;
     * Schnabel 2017): a click at rank 1 is worth one search's merit, one at rank 10 3.46, because few users look there.
     */
    public static double clickMerit(int rank) {
        return 1.0 / positionWeight(rank);
    }

    /**
     * The exposure of one served page: hit {@code i} of {@code shops} sits at rank {@code from + i + 1} of the merged
     * result. A hit without a shop credits nobody.
     */
    public static Map<String, ShopLedger.Credit> served(String[] shops, int from) {
        Map<String, ShopLedger.Credit> credits = new HashMap<>();
        for (int i = 0; i < shops.length; i++) {
            if (shops[i] != null) {
                credits.merge(shops[i], new ShopLedger.Credit(positionWeight(from + i + 1), 0), Credits::sum);
            }
        }
        return credits;
    }

    /**
     * The merit one rescore window brings: {@code share} (one search's merit, divided among the index's shards) split
     * among the window's shops in proportion to their hits' relevance (the blend, in [0, 1]). Every search thus hands
     * out the same merit, and a shop's share of it is its share of the relevance the search found. A window without
     * relevance (every blend 0) credits nobody.
     */
    public static Map<String, ShopLedger.Credit> window(String[] shops, float[] relevance, double share) {
        double sum = 0;
        for (int i = 0; i < shops.length; i++) {
            if (shops[i] != null && relevance[i] > 0) {
                sum += relevance[i];
            }
        }
        Map<String, ShopLedger.Credit> credits = new HashMap<>();
        if (sum <= 0) {
            return credits;
        }
        for (int i = 0; i < shops.length; i++) {
            if (shops[i] != null && relevance[i] > 0) {
                credits.merge(shops[i], new ShopLedger.Credit(0, share * relevance[i] / sum), Credits::sum);
            }
        }
        return credits;
    }

    static ShopLedger.Credit sum(ShopLedger.Credit a, ShopLedger.Credit b) {
        return a.plus(b.exposure(), b.merit());
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
