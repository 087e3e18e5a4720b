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
        final Simulator simulator = new Simulator(groupCount, w, n);

        // plan[p..n-1]: a completion within the cap from the current position (kept while the window is feasible)
        final int[] plan = new int[n];
        boolean feasible = simulator.completes(remaining, placedGroup, 0, limit, n, plan);
        final boolean quotaMet = feasible;
        // group heads by score, best first (a group leaves the heap while its head is being placed)
        final java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(
            Math.max(1, groupCount),
            (a, b) -> better(scores, members[a][head[a]], members[b][head[b]]) ? -1 : (a.equals(b) ? 0 : 1)
        );
        final java.util.ArrayList<Integer> popped = new java.util.ArrayList<>();
        if (feasible) {
            for (int k = 0; k < groupCount; k++) {
                heap.add(k);
            }
        }

        for (int p = 0; p < n; p++) {
            if (p - (w - 1) - 1 >= 0) {
                inWindow[placedGroup[p - w]]--;
            }
            int chosen = -1;
            if (feasible) {
                chosen = bestCompletable(heap, popped, plan, remaining, inWindow, placedGroup, p, limit, n, simulator);
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
            if (feasible && head[chosen] < members[chosen].length) {
                heap.add(chosen);
            }
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

    /**
     * Among heads under the cap, in score order, the first after which the window can still be completed: the plan
     * already puts it here, or a swap or shift of the plan makes room, or (rarely) a fresh simulation finds a
     * completion. Returns the group, taken out of the heap; heads that were passed over go back in.
     */
    private static int bestCompletable(
        java.util.PriorityQueue<Integer> heap,
        java.util.ArrayList<Integer> popped,
        int[] plan,
        int[] remaining,
        int[] inWindow,
        int[] placedGroup,
        int p,
        int limit,
        int n,
        Simulator simulator
    ) {
        int chosen = -1;
        Integer next;
        while ((next = heap.poll()) != null) {
            int k = next;
            if (inWindow[k] >= limit) {
                popped.add(k);
                continue;
            }
            if (plan[p] == k || simulator.repairs(plan, placedGroup, p, k, limit, n)) {
                chosen = k;
                break;
            }
            placedGroup[p] = k;
            remaining[k]--;
            boolean ok = simulator.completes(remaining, placedGroup, p + 1, limit, n, plan);
            remaining[k]++;
            if (ok) {
                plan[p] = k;
                chosen = k;
                break;
            }
            popped.add(k);
        }
        heap.addAll(popped);
        popped.clear();
        return chosen;
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

    /** Input indices sorted by score descending, ties by input index (a primitive sort of packed keys). */
    static int[] scoreOrder(float[] scores) {
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int bits = Float.floatToIntBits(scores[i] == 0f ? 0f : scores[i]); // -0 sorts as 0
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // order-preserving as a signed int
            keys[i] = ((long) ~sortable << 32) | i; // descending score, then ascending index
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
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
        private final int[] holdCount; // all zero between calls of windowsHold
        private final int[] ring;
        private final int[] schedule;


        Simulator(int groups, int window, int total) {
            this.schedule = new int[total];
            this.left = new int[groups];
            this.count = new int[groups];
            this.holdCount = new int[groups];
            this.ring = new int[window - 1]; // an active cap has window >= 2

        }

        /**
         * @param remaining hits left per group (after the positions already placed)
         * @param placed    groups of the placed positions {@code [0, placedCount)}
         */
        boolean completes(int[] remaining, int[] placed, int placedCount, int limit, int total, int[] plan) {
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
                schedule[p] = pick;
                if (len == span) { // the oldest position leaves the window the next position sees
                    count[ring[oldest]]--;
                    oldest = (oldest + 1) % span;
                    len--;
                }
                count[pick]++;
                ring[(oldest + len) % span] = pick;
                len++;
            }
            System.arraycopy(schedule, placedCount, plan, placedCount, total - placedCount);
            return true;
        }

        /**
         * Cheapest sufficient test: swaps the plan's positions {@code p} and {@code j}; only the windows that see
         * either position can change, so only those are checked. On success the plan is updated.
         */
        private boolean swaps(int[] plan, int[] placed, int p, int j, int limit, int total) {
            final int span = ring.length;
            int a = plan[p];
            int b = plan[j];
            plan[p] = b;
            plan[j] = a;
            boolean ok = windowsHold(plan, placed, p, Math.min(total - 1, p + span), limit)
                && windowsHold(plan, placed, Math.max(p + span + 1, j), Math.min(total - 1, j + span), limit);
            if (ok == false) {
                plan[p] = a;
                plan[j] = b;
            }
            return ok;
        }

        /** Whether every position in [lo, hi] holds the cap given the placed prefix [0, p) and plan[p..]. */
        private boolean windowsHold(int[] plan, int[] placed, int lo, int hi, int limit) {
            if (lo > hi) {
                return true;
            }
            final int span = ring.length;
            final int p0 = firstPlanned;
            final int start = Math.max(0, lo - span);
            for (int q = start; q < lo; q++) {
                holdCount[q < p0 ? placed[q] : plan[q]]++;
            }
            boolean ok = true;
            int q = lo;
            for (; q <= hi; q++) {
                int g = q < p0 ? placed[q] : plan[q];
                if (holdCount[g] >= limit) {
                    ok = false;
                    break;
                }
                holdCount[g]++;
                int leaving = q - span;
                if (leaving >= start) {
                    holdCount[leaving < p0 ? placed[leaving] : plan[leaving]]--;
                }
            }
            // undo: the positions still counted are [max(start, q - span), q)
            for (int r = Math.max(start, q - span); r < q; r++) {
                holdCount[r < p0 ? placed[r] : plan[r]]--;
            }
            return ok;
        }

        /** First position not yet placed, set by {@link #repairs} for the window checks. */
        private int firstPlanned;

        /**
         * Cheap sufficient test: puts shop {@code k} at position {@code p} and its next planned position's hit moves
         * up, the rest of the plan shifting down by one. Only positions up to that hit plus a cap window can change
         * their window's contents, so only those are checked. On success the plan is updated.
         */
        boolean repairs(int[] plan, int[] placed, int p, int k, int limit, int total) {
            int j = p;
            while (j < total && plan[j] != k) {
                j++;
            }
            if (j == total) {
                return false;
            }
            firstPlanned = p;
            if (swaps(plan, placed, p, j, limit, total)) {
                return true;
            }
            final int span = ring.length;
            final int end = Math.min(total - 1, j + span);
            Arrays.fill(count, 0);
            // candidate sequence for positions p..end: k, plan[p..j-1], plan[j+1..end]
            int from = Math.max(0, p - span);
            for (int q = from; q < p; q++) {
                count[placed[q]]++;
            }
            boolean ok = true;
            int q = p;
            for (; q <= end; q++) {
                int g = q == p ? k : (q <= j ? plan[q - 1] : plan[q]);
                if (count[g] >= limit) {
                    ok = false;
                    break;
                }
                count[g]++;
                int leaving = q - span;
                if (leaving >= from) {
                    int lg = leaving < p ? placed[leaving] : (leaving == p ? k : (leaving <= j ? plan[leaving - 1] : plan[leaving]));
                    count[lg]--;
                }
            }
            if (ok) {
                System.arraycopy(plan, p, plan, p + 1, j - p);
                plan[p] = k;
            }
            return ok;
        }
    }
}
