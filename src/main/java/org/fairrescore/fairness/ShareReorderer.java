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
        // group heads by score, best first; a position pops heads until one fits under the ceiling
        final java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(
            Math.max(1, g.count()),
            (a, b) -> {
                int i = g.head(a);
                int j = g.head(b);
                int c = Float.compare(scores[j], scores[i]);
                return c != 0 ? c : Integer.compare(i, j);
            }
        );
        for (int k = 0; k < g.count(); k++) {
            heap.add(k);
        }
        final java.util.ArrayList<Integer> passed = new java.util.ArrayList<>();
        for (int p = 0; p < n; p++) {
            int position = p + 1;
            double w = ExposureShare.weight(position);
            double total = position < share.minPrefix() ? firstTotal : cumulative[position];
            double threshold = limit * total - w; // a shop fits here when its exposure so far is at most this
            int chosen = -1;
            Integer next;
            while ((next = heap.poll()) != null) {
                if (exposure[next] <= threshold) {
                    chosen = next;
                    break;
                }
                passed.add(next);
            }
            if (chosen < 0) {
                // no shop fits: the best remaining hit fills the position (the first one passed over)
                chosen = passed.remove(0);
                violates[p] = true;
            }
            heap.addAll(passed);
            passed.clear();
            exposure[chosen] += w;
            order[p] = g.take(chosen);
            if (g.exhausted(chosen) == false) {
                heap.add(chosen);
            }
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
