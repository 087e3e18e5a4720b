package org.fairrescore.eval.metrics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stream of searches has handed out so far, per shop: the exposure of the served top k (position weight
 * {@code 1/log2(1 + r)} per hit), the merit by the plugin's own definition and the merit by the human labels; and the
 * NDCG@k of every search. {@link #snapshot} turns it into the stream's fairness figures at that point.
 */
public final class StreamTally {

    /**
     * The figures of a stream after {@code searches} searches.
     *
     * @param tvdOwn        TVD between the shops' exposure shares and their shares of the plugin's merit
     * @param tvdLabel      the same with label merit
     * @param giniOwn       {@link Amortized#ratioGini} with the plugin's merit
     * @param giniLabel     the same with label merit
     * @param top3Share     share of all exposure held by the three largest shops (by catalog size)
     * @param top3Exposed   share held by the three shops with the most exposure, whichever they are
     * @param headShare     share held by the head tier
     * @param tailShare     share held by the long-tail tier
     * @param ndcg          mean NDCG@k over the searches so far
     */
    public record Snapshot(int searches, double tvdOwn, double tvdLabel, double giniOwn, double giniLabel,
                           double top3Share, double top3Exposed, double headShare, double tailShare, double ndcg) {
    }

    /**
     * Which shops the shares are taken over.
     *
     * @param largest the three largest shops of the catalog
     * @param head    the head tier
     * @param tail    the long-tail tier
     */
    public record Groups(Set<String> largest, Set<String> head, Set<String> tail) {
        public Groups {
            largest = Set.copyOf(largest);
            head = Set.copyOf(head);
            tail = Set.copyOf(tail);
        }
    }

    private final int k;
    private final Map<String, Double> exposure = new LinkedHashMap<>();
    private final Map<String, Double> ownMerit = new LinkedHashMap<>();
    private final Map<String, Double> labelMerit = new LinkedHashMap<>();
    private int searches;
    private double ndcgSum;
    private int ndcgCount;

    /** A tally of the top {@code k} of each search. */
    public StreamTally(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
    }

    /**
     * Adds one served search: {@code shops} in rank order (null for a hit without a shop, which credits nobody; only
     * the first k count), the merit it brought each shop by the plugin's definition and by the labels, and its NDCG@k
     * (NaN: not measurable, left out of the mean).
     */
    public void add(List<String> shops, Map<String, Double> own, Map<String, Double> label, double ndcg) {
        int n = Math.min(k, shops.size());
        for (int i = 0; i < n; i++) {
            if (shops.get(i) != null) {
                exposure.merge(shops.get(i), Exposure.weight(i + 1), Double::sum);
            }
        }
        own.forEach((s, m) -> ownMerit.merge(s, m, Double::sum));
        label.forEach((s, m) -> labelMerit.merge(s, m, Double::sum));
        if (Double.isNaN(ndcg) == false) {
            ndcgSum += ndcg;
            ndcgCount++;
        }
        searches++;
    }

    public Snapshot snapshot(Groups groups) {
        List<String> exposed = Amortized.largest(exposure, 3);
        return new Snapshot(searches, Amortized.tvd(exposure, ownMerit), Amortized.tvd(exposure, labelMerit),
            Amortized.ratioGini(exposure, ownMerit), Amortized.ratioGini(exposure, labelMerit),
            Amortized.share(exposure, groups.largest()), Amortized.share(exposure, exposed),
            Amortized.share(exposure, groups.head()), Amortized.share(exposure, groups.tail()),
            ndcgCount == 0 ? Double.NaN : ndcgSum / ndcgCount);
    }

    public int searches() {
        return searches;
    }

    /** Exposure per shop so far (a copy). */
    public Map<String, Double> exposure() {
        return Map.copyOf(exposure);
    }

    /** The plugin's merit per shop so far (a copy). */
    public Map<String, Double> ownMerit() {
        return Map.copyOf(ownMerit);
    }

    /** Label merit per shop so far (a copy). */
    public Map<String, Double> labelMerit() {
        return Map.copyOf(labelMerit);
    }

    /** The share of the plugin's merit, or of label merit, held by {@code shops}. */
    public double meritShare(Collection<String> shops, boolean label) {
        return Amortized.share(label ? labelMerit : ownMerit, shops);
    }
}
