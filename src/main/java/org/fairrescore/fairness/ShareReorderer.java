package org.fairrescore.fairness;

import java.util.HashMap;
import java.util.Map;

/**
 * Reorders a window so that, at every prefix of length {@code r >= minPrefix}, no shop holds more than
 * {@code maxShare} of the prefix's exposure ({@code 1 / log2(1 + i)} at 1-based position {@code i}).
 *
 * <p>Greedy: each position takes the best-scored remaining hit whose shop stays within the share there. Before the
 * first constrained prefix a shop's exposure is checked against that prefix's total, since exposure only grows;
 * from it on, a shop that is not placed only loses share, so checking the placed shop suffices. When no remaining
 * hit fits (too few shops), the best remaining hit fills the position and the position is flagged.
 */
public final class ShareReorderer {

    private ShareReorderer() {}

    public static Reordering reorder(float[] scores, int[] groups, ExposureShare share) {
        final int n = scores.length;
        final int[] byScore = CapReorderer.scoreOrder(scores);
        final int[] rankByScore = new int[n];
        for (int r = 0; r < n; r++) {
            rankByScore[byScore[r]] = r;
        }
        if (share.isActive() == false || n < share.minPrefix()) {
            return new Reordering(byScore, rankByScore, new boolean[n], true);
        }
        Groups g = Groups.of(byScore, groups);
        final double[] cumulative = new double[n + 1];
        for (int i = 1; i <= n; i++) {
            cumulative[i] = cumulative[i - 1] + ExposureShare.weight(i);
        }
        final double firstTotal = cumulative[share.minPrefix()];
        final double[] exposure = new double[g.count()];
        final int[] order = new int[n];
        final boolean[] violates = new boolean[n];
        final double limit = share.maxShare() + 1e-12; // tolerance for floating-point sums
        for (int p = 0; p < n; p++) {
            int position = p + 1;
            double w = ExposureShare.weight(position);
            double total = position < share.minPrefix() ? firstTotal : cumulative[position];
            int chosen = -1;
            float best = Float.NEGATIVE_INFINITY;
            int bestIndex = Integer.MAX_VALUE;
            int fallback = -1;
            float fallbackScore = Float.NEGATIVE_INFINITY;
            int fallbackIndex = Integer.MAX_VALUE;
            for (int k = 0; k < g.count(); k++) {
                if (g.exhausted(k)) {
                    continue;
                }
                int i = g.head(k);
                if (scores[i] > fallbackScore || (scores[i] == fallbackScore && i < fallbackIndex)) {
                    fallback = k;
                    fallbackScore = scores[i];
                    fallbackIndex = i;
                }
                if ((exposure[k] + w) / total <= limit && (scores[i] > best || (scores[i] == best && i < bestIndex))) {
                    chosen = k;
                    best = scores[i];
                    bestIndex = i;
                }
            }
            if (chosen < 0) {
                chosen = fallback;
                violates[p] = true;
            }
            exposure[chosen] += w;
            order[p] = g.take(chosen);
        }
        boolean met = true;
        for (boolean v : violates) {
            met &= v == false;
        }
        return new Reordering(order, rankByScore, violates, met);
    }

    /** Hits grouped by shop, each group in score order, with a cursor per group. */
    static final class Groups {
        private final int[][] members;
        private final int[] head;

        private Groups(int[][] members) {
            this.members = members;
            this.head = new int[members.length];
        }

        static Groups of(int[] byScore, int[] groups) {
            Map<Integer, Integer> dense = new HashMap<>();
            int[] g = new int[groups.length];
            int[] counts = new int[groups.length];
            for (int i = 0; i < groups.length; i++) {
                g[i] = dense.computeIfAbsent(groups[i], x -> dense.size());
                counts[g[i]]++;
            }
            int[][] members = new int[dense.size()][];
            for (int k = 0; k < members.length; k++) {
                members[k] = new int[counts[k]];
            }
            int[] fill = new int[members.length];
            for (int i : byScore) {
                members[g[i]][fill[g[i]]++] = i;
            }
            return new Groups(members);
        }

        int count() {
            return members.length;
        }

        boolean exhausted(int k) {
            return head[k] == members[k].length;
        }

        int head(int k) {
            return members[k][head[k]];
        }

        int take(int k) {
            return members[k][head[k]++];
        }
    }
}
