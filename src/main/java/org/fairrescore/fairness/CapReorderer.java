package org.fairrescore.fairness;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reorders a window so that no shop holds more than {@code maxPerShop} of any {@code window} consecutive positions.
 *
 * <p>Greedy deferral with look-ahead: each position takes the best-scored remaining hit whose shop is still under
 * the cap there <em>and</em> after which the rest of the window can still be arranged within the cap. When the window
 * cannot meet the cap at all (a shop owns too much of it), it falls back to plain greedy deferral: each position
 * takes the best hit whose shop is under the cap, else the best remaining hit (flagged as a violation), so the top of
 * the window stays within the cap for as long as the hits allow and the excess sinks to the bottom.
 *
 * <p>Within one shop, hits keep their score order. Pure Java, no allocation proportional to anything but the window.
 */
public final class CapReorderer {

    private CapReorderer() {}

    /**
     * @param scores blended scores of the window's hits (any order)
     * @param groups shop group of each hit; hits without a shop must carry distinct group ids
     * @param cap    the cap to enforce
     */
    public static Reordering reorder(float[] scores, int[] groups, ShopCap cap) {
        if (scores.length != groups.length) {
            throw new IllegalArgumentException("scores and groups differ in length");
        }
        final int n = scores.length;
        final int[] byScore = scoreOrder(scores);
        final int[] rankByScore = new int[n];
        for (int r = 0; r < n; r++) {
            rankByScore[byScore[r]] = r;
        }
        if (!cap.isActive() || n <= 1) {
            return new Reordering(byScore, rankByScore, new boolean[n], true);
        }

        // Dense group ids and, per group, its members in score order.
        final Map<Integer, Integer> dense = new HashMap<>();
        final int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            g[i] = dense.computeIfAbsent(groups[i], k -> dense.size());
        }
        final int groupCount = dense.size();
        final int[] remaining = new int[groupCount];
        for (int i = 0; i < n; i++) {
            remaining[g[i]]++;
        }
        final int[][] members = new int[groupCount][];
        for (int k = 0; k < groupCount; k++) {
            members[k] = new int[remaining[k]];
        }
        final int[] fill = new int[groupCount];
        for (int r = 0; r < n; r++) {
            int i = byScore[r];
            members[g[i]][fill[g[i]]++] = i;
        }
        final int[] head = new int[groupCount];

        final int limit = cap.maxPerShop();
        final int w = cap.window();
        final int[] inWindow = new int[groupCount]; // occurrences among the previous w-1 placed positions
        final int[] placedGroup = new int[n];
        final int[] order = new int[n];
        final boolean[] violates = new boolean[n];
        final Simulator simulator = new Simulator(groupCount, w);

        boolean feasible = simulator.completes(remaining, placedGroup, 0, limit, n);
        final boolean quotaMet = feasible;

        for (int p = 0; p < n; p++) {
            if (p - (w - 1) - 1 >= 0) {
                inWindow[placedGroup[p - w]]--;
            }
            int chosen = -1;
            if (feasible) {
                chosen = bestCompletable(scores, members, head, remaining, inWindow, placedGroup, p, limit, n, simulator);
                if (chosen < 0) {
                    feasible = false; // cannot happen while the invariant holds; degrade instead of failing
                }
            }
            if (chosen < 0) {
                chosen = bestHead(scores, members, head, inWindow, limit, true);
                if (chosen < 0) {
                    chosen = bestHead(scores, members, head, inWindow, limit, false);
                    violates[p] = true;
                }
            }
            int hit = members[chosen][head[chosen]++];
            remaining[chosen]--;
            order[p] = hit;
            placedGroup[p] = chosen;
            inWindow[chosen]++;
        }
        return new Reordering(order, rankByScore, violates, quotaMet && !anyTrue(violates));
    }

    /** The best-scored group head under the cap (or any head when {@code underCapOnly} is false); -1 if none. */
    private static int bestHead(float[] scores, int[][] members, int[] head, int[] inWindow, int limit, boolean underCapOnly) {
        int best = -1;
        float bestScore = Float.NEGATIVE_INFINITY;
        int bestIndex = Integer.MAX_VALUE;
        for (int k = 0; k < members.length; k++) {
            if (head[k] == members[k].length || (underCapOnly && inWindow[k] >= limit)) {
                continue;
            }
            int i = members[k][head[k]];
            if (scores[i] > bestScore || (scores[i] == bestScore && i < bestIndex)) {
                best = k;
                bestScore = scores[i];
                bestIndex = i;
            }
        }
        return best;
    }

    /** Among heads under the cap, in score order, the first after which the window can still be completed. */
    private static int bestCompletable(
        float[] scores,
        int[][] members,
        int[] head,
        int[] remaining,
        int[] inWindow,
        int[] placedGroup,
        int p,
        int limit,
        int n,
        Simulator simulator
    ) {
        int candidates = 0;
        int[] heads = simulator.candidateBuffer;
        for (int k = 0; k < members.length; k++) {
            if (head[k] < members[k].length && inWindow[k] < limit) {
                heads[candidates++] = k;
            }
        }
        // Sort the few candidate groups by their head's score (insertion sort: candidates are at most the shops).
        for (int a = 1; a < candidates; a++) {
            int k = heads[a];
            int b = a - 1;
            while (b >= 0 && better(scores, members[k][head[k]], members[heads[b]][head[heads[b]]])) {
                heads[b + 1] = heads[b];
                b--;
            }
            heads[b + 1] = k;
        }
        for (int c = 0; c < candidates; c++) {
            int k = heads[c];
            placedGroup[p] = k;
            remaining[k]--;
            boolean ok = simulator.completes(remaining, placedGroup, p + 1, limit, n);
            remaining[k]++;
            if (ok) {
                return k;
            }
        }
        return -1;
    }

    private static boolean better(float[] scores, int i, int j) {
        return scores[i] > scores[j] || (scores[i] == scores[j] && i < j);
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    /** Input indices sorted by score descending, ties by input index. */
    static int[] scoreOrder(float[] scores) {
        Integer[] boxed = new Integer[scores.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> {
            int c = Float.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        return order;
    }

    /**
     * Decides whether the remaining hits can fill the remaining positions within the cap, by scheduling at each
     * position the shop with the most hits left among those under the cap (the classic exact rule for
     * "same item at most k times in any window" scheduling). Works on scratch copies; reused across calls.
     */
    static final class Simulator {
        private final int[] left;
        private final int[] count;
        private final int[] ring;
        final int[] candidateBuffer;

        Simulator(int groups, int window) {
            this.left = new int[groups];
            this.count = new int[groups];
            this.ring = new int[window - 1]; // an active cap has window >= 2
            this.candidateBuffer = new int[groups];
        }

        /**
         * @param remaining hits left per group (after the positions already placed)
         * @param placed    groups of the placed positions {@code [0, placedCount)}
         */
        boolean completes(int[] remaining, int[] placed, int placedCount, int limit, int total) {
            final int groups = left.length;
            final int span = ring.length;
            System.arraycopy(remaining, 0, left, 0, groups);
            Arrays.fill(count, 0);
            int oldest = 0;
            int len = 0;
            for (int p = Math.max(0, placedCount - span); p < placedCount; p++) {
                ring[len++] = placed[p];
                count[placed[p]]++;
            }
            for (int p = placedCount; p < total; p++) {
                int pick = -1;
                int most = 0;
                for (int k = 0; k < groups; k++) {
                    if (left[k] > most && count[k] < limit) {
                        most = left[k];
                        pick = k;
                    }
                }
                if (pick < 0) {
                    return false;
                }
                left[pick]--;
                if (len == span) { // the oldest position leaves the window the next position sees
                    count[ring[oldest]]--;
                    oldest = (oldest + 1) % span;
                    len--;
                }
                count[pick]++;
                ring[(oldest + len) % span] = pick;
                len++;
            }
            return true;
        }
    }
}
