package org.fairrescore.fairness;

import java.util.Arrays;

/**
 * {@link ShopCap} as a {@link RuleCheck}: at most {@code maxPerShop} hits of a shop in any {@code window} consecutive
 * positions. Its look-ahead is {@link CapFeasibility#urgent}'s test: the shop with the most hits left must still find
 * enough positions if it does not take this one (counting greedily its earliest possible positions).
 */
final class CapCheck extends RuleCheck {

    private final int limit;
    private final int w;
    private final int n;
    private final int[] shopOf;
    private final int[] placed;
    private final int[] inWindow; // a shop's hits among the w - 1 positions before the next one
    final int[] remaining; // unplaced hits per shop
    private final int[] withRemaining; // shops per count of hits left
    private int maxRemaining;
    private final boolean[] mark;
    private boolean dirty = true;
    private int urgent;

    CapCheck(ShopCap cap, RuleModel model, int[] placed) {
        super(cap);
        this.limit = cap.maxPerShop();
        this.w = cap.window();
        this.n = model.n;
        this.shopOf = model.shopOfLabel;
        this.placed = placed;
        this.inWindow = new int[model.shops];
        this.remaining = new int[model.shops];
        for (int label = 0; label < model.labels; label++) {
            remaining[shopOf[label]] += model.labelSize[label];
        }
        this.withRemaining = new int[n + 1];
        for (int r : remaining) {
            withRemaining[r]++;
            maxRemaining = Math.max(maxRemaining, r);
        }
        this.mark = new boolean[n];
    }

    @Override
    int orderMemory() {
        return w - 1;
    }

    @Override
    boolean holds(int label, int p) {
        return inWindow[shopOf[label]] < limit;
    }

    @Override
    boolean allows(int label, int p) {
        int shop = shopOf[label];
        if (inWindow[shop] >= limit) {
            return false;
        }
        int u = urgent(p);
        return u == -1 || u == shop;
    }

    @Override
    int urgency(int label) {
        return remaining[shopOf[label]];
    }

    @Override
    void place(int label, int p) {
        int shop = shopOf[label];
        inWindow[shop]++;
        int r = remaining[shop]--;
        withRemaining[r]--;
        withRemaining[r - 1]++;
        while (maxRemaining > 0 && withRemaining[maxRemaining] == 0) {
            maxRemaining--;
        }
        int out = p - w + 1;
        if (out >= 0) {
            inWindow[shopOf[placed[out]]]--;
        }
        dirty = true;
    }

    @Override
    void undo(int label, int p) {
        int shop = shopOf[label];
        inWindow[shop]--;
        int r = remaining[shop]++;
        withRemaining[r]--;
        withRemaining[r + 1]++;
        maxRemaining = Math.max(maxRemaining, r + 1);
        int out = p - w + 1;
        if (out >= 0) {
            inWindow[shopOf[placed[out]]]++;
        }
        dirty = true;
    }

    /**
     * The shop with the most hits left if it cannot spare position {@code p} (placing another shop there leaves it
     * fewer reachable positions than hits), -2 if it cannot fit its hits even taking {@code p} (no completion: nothing
     * is allowed), else -1. Checked cheaply first: a shop fits {@code limit} hits in every {@code w} positions once the
     * positions before {@code p} have left the window.
     */
    private int urgent(int p) {
        if (dirty == false) {
            return urgent;
        }
        dirty = false;
        urgent = -1;
        final int need = maxRemaining;
        final int after = n - p - 1;
        if (need == 0 || need <= limit * (Math.max(0, after - (w - 1)) / w)) {
            return -1;
        }
        int shop = 0;
        while (remaining[shop] != need) {
            shop++;
        }
        if (slots(shop, p, p, need) < need) {
            urgent = -2;
        } else if (slots(shop, p, p + 1, need) < need) {
            urgent = shop;
        }
        return urgent;
    }

    /**
     * The most positions {@code shop} can take from {@code start} on (at most {@code need}), the positions before
     * {@code p} as placed and position {@code p} not the shop's unless {@code start == p}: greedily, each position
     * the shop may take under the cap.
     */
    private int slots(int shop, int p, int start, int need) {
        final int from = Math.max(0, p - w + 1);
        int count = 0; // the shop's positions in the window of the next position considered
        for (int q = Math.max(from, start - w + 1); q < p; q++) {
            if (shopOf[placed[q]] == shop) {
                mark[q] = true;
                count++;
            }
        }
        int slots = 0;
        int q = start;
        for (; q < n && slots < need; q++) {
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
        Arrays.fill(mark, from, Math.max(from, q), false);
        return slots;
    }
}
