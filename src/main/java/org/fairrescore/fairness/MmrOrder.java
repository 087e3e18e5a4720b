package org.fairrescore.fairness;

import java.util.function.IntPredicate;

/**
 * The order in which the placement considers the hits for a position: score order, or MMR under a
 * {@link Diversity}, non-duplicates first and near duplicates (in score order) last.
 *
 * <p>MMR value of hit {@code i}: {@code lambda * score[i] - (1 - lambda) * red[i]}, {@code red[i] = max(0, max cos(i,
 * j))} over the placed hits {@code j} that have a vector. The value only falls as hits are placed, so the hits sit in a
 * max-heap keyed by their value against the hits placed when it was last computed (an upper bound), and only the top
 * is brought up to date (lazy greedy): a hit is returned when its value is current and still on top. A hit the caller
 * does not admit at this position is set aside without being brought up to date; {@link #begin} and {@link #restart}
 * put the set-aside hits back. Ties go to the better score rank.
 *
 * <p>Near duplicates: a hit whose {@code red} reaches the threshold when it comes up within the depth is set aside
 * behind every other hit until the depth is filled (the end of the window when the depth covers it), then takes its
 * score order among the rest; {@link #duplicateOf} names the placed hit it nearly duplicates. Only the hits that come
 * up are compared, so a diversified window costs about {@code depth^2 / 2} dot products plus a few per position,
 * never {@code n^2}.
 */
final class MmrOrder {

    private final int n;
    private final float[] scores;
    private final int[] byScore;
    private final int[] rankByScore;
    private final float[][] vectors;
    private final double lambda;
    private final double threshold;
    private final int depth;
    private final boolean dedup;
    private boolean heapMode;

    private final long[] free; // ranks neither placed nor deferred
    private final long[] dups; // ranks deferred as near duplicates, not placed
    private final boolean[] deferred;
    private int cursor;
    private int dupCursor;
    private boolean merged;
    private int position;

    // lazy redundancy
    private final float[] red;
    private final int[] seen;
    private final int[] nearest;
    private final int[] placedVec;
    private int placedVecCount;

    // heap of hits by MMR value
    private final int[] heap;
    private final int[] heapPos;
    private final double[] key;
    private int heapSize;
    private final int[] aside;
    private int asideCount;

    MmrOrder(float[] scores, int[] byScore, int[] rankByScore, float[][] vectors, Diversity diversity) {
        this.n = scores.length;
        this.scores = scores;
        this.byScore = byScore;
        this.rankByScore = rankByScore;
        this.vectors = vectors;
        this.lambda = diversity.lambda();
        this.threshold = diversity.duplicateThreshold();
        this.depth = diversity.depth();
        this.dedup = vectors != null && diversity.dedup();
        this.heapMode = vectors != null && diversity.mmr();
        this.free = new long[(n + 63) >>> 6];
        for (int r = 0; r < n; r++) {
            free[r >>> 6] |= 1L << r;
        }
        this.dups = new long[free.length];
        this.deferred = new boolean[n];
        boolean tracked = dedup || heapMode;
        this.red = tracked ? new float[n] : null;
        this.seen = tracked ? new int[n] : null;
        this.nearest = tracked ? new int[n] : null;
        this.placedVec = tracked ? new int[n] : null;
        if (tracked) {
            java.util.Arrays.fill(nearest, -1);
        }
        if (heapMode) {
            heap = new int[n];
            heapPos = new int[n];
            key = new double[n];
            aside = new int[n];
            for (int r = 0; r < n; r++) {
                int i = byScore[r];
                key[i] = lambda * scores[i];
                heap[r] = i; // score order is a valid max-heap of lambda * score
                heapPos[i] = r;
            }
            heapSize = n;
        } else {
            heap = null;
            heapPos = null;
            key = null;
            aside = null;
        }
    }

    /**
     * Starts position {@code p}: every hit not placed is a candidate again. From the depth on: plain score order, the
     * near duplicates set aside back among the other hits.
     */
    void begin(int p) {
        position = p;
        restart();
        if (p >= depth && merged == false) {
            merged = true;
            heapMode = false; // the free set already holds every candidate but the near duplicates
            for (int w = 0; w < free.length; w++) {
                free[w] |= dups[w];
                dups[w] = 0;
            }
        }
    }

    /** The hits set aside at this position are candidates again (a second pass over the same position). */
    void restart() {
        cursor = 0;
        dupCursor = 0;
        if (heapMode) {
            while (asideCount > 0) {
                int i = aside[--asideCount];
                if (deferred[i] == false) {
                    push(i);
                }
            }
        }
    }

    /**
     * The next candidate in preference order that {@code admissible} accepts, or -1: non-duplicates by MMR value (or
     * score), then near duplicates by score.
     */
    int next(IntPredicate admissible) {
        if (heapMode) {
            while (heapSize > 0) {
                int i = heap[0];
                if (admissible.test(i) == false) {
                    pop();
                    aside[asideCount++] = i;
                    continue;
                }
                if (vectors[i] != null && seen[i] < placedVecCount) {
                    // bring the bound down one placed hit at a time, until the hit is current or drops below the next
                    double next = secondBest();
                    do {
                        updateOne(i);
                        key[i] = lambda * scores[i] - (1 - lambda) * red[i];
                    } while (seen[i] < placedVecCount && key[i] >= next);
                    siftDown(0);
                    continue;
                }
                pop();
                if (dedup && red[i] >= threshold) {
                    defer(i);
                    continue;
                }
                aside[asideCount++] = i;
                return i;
            }
        } else {
            for (int r = RankedGroups.nextHead(free, cursor); r >= 0; r = RankedGroups.nextHead(free, r + 1)) {
                cursor = r + 1;
                int i = byScore[r];
                if (admissible.test(i) == false) {
                    continue;
                }
                if (dedup && position < depth && vectors[i] != null) {
                    update(i);
                    if (red[i] >= threshold) {
                        defer(i);
                        continue;
                    }
                }
                return i;
            }
        }
        for (int r = RankedGroups.nextHead(dups, dupCursor); r >= 0; r = RankedGroups.nextHead(dups, r + 1)) {
            dupCursor = r + 1;
            int i = byScore[r];
            if (admissible.test(i)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code hit} takes the current position. */
    void placed(int hit) {
        int r = rankByScore[hit];
        free[r >>> 6] &= ~(1L << r);
        dups[r >>> 6] &= ~(1L << r);
        if (heap != null) {
            if (heapPos[hit] >= 0) {
                remove(hit);
            } else {
                for (int a = 0; a < asideCount; a++) {
                    if (aside[a] == hit) {
                        aside[a] = aside[--asideCount];
                        break;
                    }
                }
            }
        }
        if (placedVec != null && position < depth && vectors[hit] != null) {
            placedVec[placedVecCount++] = hit;
        }
    }

    /** The placed hit that {@code hit} nearly duplicates, when it was set aside as a near duplicate; else -1. */
    int duplicateOf(int hit) {
        return deferred[hit] ? nearest[hit] : -1;
    }

    private void defer(int i) {
        int r = rankByScore[i];
        deferred[i] = true;
        free[r >>> 6] &= ~(1L << r);
        dups[r >>> 6] |= 1L << r;
    }

    /** The best key below the top of the heap, or -infinity. */
    private double secondBest() {
        if (heapSize < 2) {
            return Double.NEGATIVE_INFINITY;
        }
        double k = key[heap[1]];
        return heapSize > 2 ? Math.max(k, key[heap[2]]) : k;
    }

    /** Takes the next placed hit the redundancy of {@code i} has not seen into account. */
    private void updateOne(int i) {
        int j = placedVec[seen[i]++];
        float c = dot(vectors[i], vectors[j]);
        if (c > red[i]) {
            red[i] = c;
            nearest[i] = j;
        }
    }

    private void update(int i) {
        float[] v = vectors[i];
        float best = red[i];
        int who = nearest[i];
        for (int t = seen[i]; t < placedVecCount; t++) {
            int j = placedVec[t];
            float c = dot(v, vectors[j]);
            if (c > best) {
                best = c;
                who = j;
            }
        }
        red[i] = best;
        nearest[i] = who;
        seen[i] = placedVecCount;
    }

    /** Dot product, eight independent sums (the JIT does not reorder float sums by itself). */
    static float dot(float[] a, float[] b) {
        int len = Math.min(a.length, b.length);
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        for (; i < len; i++) {
            s0 += a[i] * b[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    // ---- heap -----------------------------------------------------------------------------------------------------

    private boolean better(int a, int b) {
        return key[a] > key[b] || (key[a] == key[b] && rankByScore[a] < rankByScore[b]);
    }

    private void push(int i) {
        int at = heapSize++;
        heap[at] = i;
        heapPos[i] = at;
        siftUp(at);
    }

    private void pop() {
        remove(heap[0]);
    }

    private void remove(int i) {
        int at = heapPos[i];
        heapPos[i] = -1;
        int last = heap[--heapSize];
        if (at == heapSize) {
            return;
        }
        heap[at] = last;
        heapPos[last] = at;
        siftUp(at);
        siftDown(heapPos[last]);
    }

    private void siftUp(int at) {
        int i = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            int p = heap[parent];
            if (better(i, p) == false) {
                break;
            }
            heap[at] = p;
            heapPos[p] = at;
            at = parent;
        }
        heap[at] = i;
        heapPos[i] = at;
    }

    private void siftDown(int at) {
        int i = heap[at];
        while (true) {
            int child = 2 * at + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && better(heap[child + 1], heap[child])) {
                child++;
            }
            int c = heap[child];
            if (better(c, i) == false) {
                break;
            }
            heap[at] = c;
            heapPos[c] = at;
            at = child;
        }
        heap[at] = i;
        heapPos[i] = at;
    }
}
