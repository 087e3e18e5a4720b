package org.fairrescore.fairness;

import java.util.Arrays;

/**
 * The cap's feasibility look-ahead: decides whether the remaining hits can fill the remaining positions within the
 * cap, by scheduling at each position the shop with the most hits left among those under the cap (the classic exact
 * rule for "same item at most k times in any window" scheduling). Works on scratch copies; reused across calls.
 */
final class CapFeasibility {
    private final int[] left;
    private final int[] count;
    private final int[] holdCount; // all zero between calls of windowsHold
    private final int[] ring;
    private final int[] schedule;
    private final int words; // 64-bit words of a bit set over groups
    private final long[] buckets; // row c: the groups with c hits left (rows 1..maxSize); all zero between calls
    private final int[] rowSize; // groups in each row; all zero between calls
    private final long[] rows; // bit c set when row c is not empty; all zero between calls
    private final boolean[] mark; // scratch of urgent(); all false between calls
    private final int[] diff; // scratch of resumes(); all zero between calls

    CapFeasibility(int groups, int window, int total, int maxSize) {
        this.schedule = new int[total];
        this.left = new int[groups];
        this.count = new int[groups];
        this.holdCount = new int[groups];
        this.ring = new int[window - 1]; // an active cap has window >= 2
        this.words = (groups + 63) >>> 6;
        this.buckets = new long[(maxSize + 1) * words];
        this.rowSize = new int[maxSize + 1];
        this.rows = new long[(maxSize + 64) >>> 6];
        this.mark = new boolean[total];
        this.diff = new int[groups];
    }

    /**
     * The shop with the most hits left if it can no longer spare position {@code p} (placing any other shop
     * there leaves it fewer positions than hits, counting greedily its earliest possible positions from
     * {@code p + 1} on, which is the most it can get), else -1. A necessary condition only: it rules candidates
     * out without a simulation, never in.
     */
    int urgent(int[] remaining, int[] placed, int p, int limit, int w, int total) {
        int shop = -1;
        for (int k = 0; k < remaining.length; k++) {
            if (shop < 0 || remaining[k] > remaining[shop]) {
                shop = k;
            }
        }
        final int need = remaining[shop];
        final int from = Math.max(0, p - w + 2);
        int count = 0; // the shop's positions among the w - 1 before the current one
        for (int q = from; q < p; q++) {
            if (placed[q] == shop) {
                mark[q] = true;
                count++;
            }
        }
        int slots = 0;
        int q = p + 1;
        for (; q < total && slots < need; q++) {
            if (count < limit) {
                mark[q] = true;
                slots++;
                count++;
            }
            int out = q - w + 1;
            if (out >= 0 && mark[out]) {
                count--;
            }
        }
        Arrays.fill(mark, from, q, false);
        return slots < need ? shop : -1;
    }

    /**
     * The schedule picks, at each position, the group with the most hits left among those under the cap there,
     * the lowest group id among ties: groups are kept in buckets by hits left (a bit set over groups per count),
     * so a pick scans down from the fullest bucket and skips only groups at the cap, instead of every group.
     *
     * @param remaining hits left per group (after the positions already placed)
     * @param placed    groups of the placed positions {@code [0, placedCount)}
     */
    boolean completes(int[] remaining, int[] placed, int placedCount, int limit, int total, int[] plan) {
        return simulate(remaining, placed, placedCount, limit, total, plan, false);
    }

    /**
     * {@link #completes} after position {@code placedCount - 1} took a shop other than the plan's there, the plan
     * still being a completion from that position. The simulation stops as soon as it is back in a state of the
     * old plan (the same hits left per shop and the same last {@code w - 1} shops at the same position): the old
     * plan's tail completes from there, so only the simulated stretch is written.
     */
    boolean resumes(int[] remaining, int[] placed, int placedCount, int limit, int total, int[] plan) {
        return simulate(remaining, placed, placedCount, limit, total, plan, true);
    }

    private boolean simulate(
            int[] remaining, int[] placed, int placedCount, int limit, int total, int[] plan, boolean splice) {
        final int groups = left.length;
        final int span = ring.length;
        final int words = this.words;
        final long[] buckets = this.buckets;
        System.arraycopy(remaining, 0, left, 0, groups);
        Arrays.fill(count, 0);
        int oldest = 0;
        int len = 0;
        for (int p = Math.max(0, placedCount - span); p < placedCount; p++) {
            ring[len++] = placed[p];
            count[placed[p]]++;
        }
        int differing = 0; // shops whose counts over [placedCount - 1, p) differ between simulation and old plan
        if (splice) {
            int was = plan[placedCount - 1];
            int now = placed[placedCount - 1];
            if (was != now) {
                diff[now]++;
                diff[was]--;
                differing = 2;
            }
        }
        for (int k = 0; k < groups; k++) {
            int c = left[k];
            if (c > 0) {
                buckets[c * words + (k >>> 6)] |= 1L << k;
                if (rowSize[c]++ == 0) {
                    rows[c >>> 6] |= 1L << c;
                }
            }
        }
        for (int p = placedCount; p < total; p++) {
            int pick = -1;
            scan:
            for (int c = highestRow(Integer.MAX_VALUE); c > 0; c = highestRow(c - 1)) {
                for (int wi = 0, base = c * words; wi < words; wi++) {
                    long bits = buckets[base + wi];
                    while (bits != 0) {
                        int k = (wi << 6) + Long.numberOfTrailingZeros(bits);
                        if (count[k] < limit) {
                            pick = k;
                            break scan;
                        }
                        bits &= bits - 1;
                    }
                }
            }
            if (pick < 0) {
                clearBuckets(groups);
                if (splice) {
                    Arrays.fill(diff, 0);
                }
                return false;
            }
            int c = left[pick]--;
            buckets[c * words + (pick >>> 6)] &= ~(1L << pick);
            if (--rowSize[c] == 0) {
                rows[c >>> 6] &= ~(1L << c);
            }
            if (c > 1) {
                buckets[(c - 1) * words + (pick >>> 6)] |= 1L << pick;
                if (rowSize[c - 1]++ == 0) {
                    rows[(c - 1) >>> 6] |= 1L << (c - 1);
                }
            }
            schedule[p] = pick;
            if (len == span) { // the oldest position leaves the window the next position sees
                count[ring[oldest]]--;
                oldest = oldest + 1 == span ? 0 : oldest + 1;
                len--;
            }
            count[pick]++;
            int slot = oldest + len;
            ring[slot >= span ? slot - span : slot] = pick;
            len++;
            if (splice) {
                int was = plan[p];
                if (was != pick) {
                    differing += diff[pick]++ == 0 ? 1 : (diff[pick] == 0 ? -1 : 0);
                    differing += diff[was]-- == 0 ? 1 : (diff[was] == 0 ? -1 : 0);
                }
                if (differing == 0 && sameTail(placed, placedCount, plan, p, span)) {
                    // back on the old plan: its tail from p + 1 completes the window
                    clearBuckets(groups);
                    System.arraycopy(schedule, placedCount, plan, placedCount, p + 1 - placedCount);
                    return true;
                }
            }
        }
        if (splice) {
            Arrays.fill(diff, 0);
        }
        System.arraycopy(schedule, placedCount, plan, placedCount, total - placedCount);
        return true;
    }

    /** Whether the simulated and old-plan sequences agree on the {@code span} positions ending at {@code p}. */
    private boolean sameTail(int[] placed, int placedCount, int[] plan, int p, int span) {
        for (int q = Math.max(0, p - span + 1); q <= p; q++) {
            int simulated = q >= placedCount ? schedule[q] : placed[q];
            int old = q >= placedCount - 1 ? plan[q] : placed[q];
            if (simulated != old) {
                return false;
            }
        }
        return true;
    }

    private void clearBuckets(int groups) {
        for (int k = 0; k < groups; k++) {
            if (left[k] > 0) {
                buckets[left[k] * words + (k >>> 6)] = 0;
                rowSize[left[k]] = 0;
            }
        }
        Arrays.fill(rows, 0);
    }

    /** The highest non-empty row at most {@code c}, or -1. */
    private int highestRow(int c) {
        if (c < 0) {
            return -1;
        }
        int word = Math.min(c >>> 6, rows.length - 1);
        long bits = rows[word];
        if (word == c >>> 6) {
            bits &= -1L >>> (63 - (c & 63));
        }
        while (true) {
            if (bits != 0) {
                return (word << 6) + 63 - Long.numberOfLeadingZeros(bits);
            }
            if (--word < 0) {
                return -1;
            }
            bits = rows[word];
        }
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
                int lg = leaving < p
                        ? placed[leaving]
                        : (leaving == p ? k : (leaving <= j ? plan[leaving - 1] : plan[leaving]));
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
