package org.fairrescore.fairness;

import java.util.List;
import java.util.function.Consumer;

/**
 * Test oracle: the rules' definitions, checked on a whole ordering independently of the placement code, and brute force
 * over all orderings of small windows.
 */
final class RuleOracle {

    final WindowHits hits;
    final List<QuotaPolicy> rules;
    private final int n;
    private final int[][][] minimums; // per rule: per group, per prefix (null for cap and share)
    private final int[] shop;

    /** @param tables the m-tables (tested on their own in {@link MultinomialMTableTests}) */
    RuleOracle(WindowHits hits, List<QuotaPolicy> rules, MTableCache tables) {
        this.hits = hits;
        this.rules = rules;
        this.n = hits.size();
        this.shop = new int[n];
        for (int i = 0; i < n; i++) {
            shop[i] = hits.shops() == null ? i : hits.shops()[i];
        }
        this.minimums = new int[rules.size()][][];
        for (int r = 0; r < rules.size(); r++) {
            if (rules.get(r) instanceof FairTopK f) {
                minimums[r] = new int[][] {tables.get(n, f.p(), f.alpha()).minimums()};
            } else if (rules.get(r) instanceof GroupFairTopK g) {
                // the table the rule reads (its own correctness: MultinomialMTableTests)
                minimums[r] = tables.multi(n, g.proportions(), g.alpha()).minimums();
            }
        }
    }

    /** The group of hit {@code i} under minimum rule {@code r}, or -1. */
    private int group(int r, int i) {
        if (rules.get(r) instanceof FairTopK) {
            return hits.protectedHits() != null && hits.protectedHits()[i] ? 0 : -1;
        }
        return hits.groups() == null ? -1 : hits.groups()[i];
    }

    /**
     * The first position (0-based) of {@code order[0..len)} where rule {@code r} does not hold (the cap window ending
     * there, the share or the minimums of the prefix ending there), or -1.
     */
    int firstBreak(int r, int[] order, int len) {
        QuotaPolicy rule = rules.get(r);
        switch (rule) {
            case ShopCap cap -> {
                for (int p = 0; p < len; p++) {
                    int c = 0;
                    for (int q = Math.max(0, p - cap.window() + 1); q <= p; q++) {
                        c += shop[order[q]] == shop[order[p]] ? 1 : 0;
                    }
                    if (c > cap.maxPerShop()) {
                        return p;
                    }
                }
            }
            case ExposureShare share -> {
                if (n < share.minPrefix()) {
                    return -1;
                }
                java.util.Map<Integer, Double> exposure = new java.util.HashMap<>();
                double total = 0;
                for (int p = 0; p < len; p++) {
                    double w = ExposureShare.weight(p + 1);
                    total += w;
                    exposure.merge(shop[order[p]], w, Double::sum);
                    // before the first constrained prefix, exposure may only reach that prefix's bound
                    double bound = total;
                    if (p + 1 < share.minPrefix()) {
                        bound = 0;
                        for (int q = 1; q <= share.minPrefix(); q++) {
                            bound += ExposureShare.weight(q);
                        }
                    }
                    if (exposure.get(shop[order[p]]) > (share.maxShare() + 1e-12) * bound) {
                        return p;
                    }
                    if (p + 1 >= share.minPrefix()) {
                        for (double e : exposure.values()) {
                            if (e > (share.maxShare() + 1e-12) * total) {
                                return p;
                            }
                        }
                    }
                }
            }
            default -> {
                int[][] m = minimums[r];
                int[] count = new int[m.length];
                for (int p = 0; p < len; p++) {
                    int g = group(r, order[p]);
                    if (g >= 0 && g < m.length) {
                        count[g]++;
                    }
                    for (int h = 0; h < m.length; h++) {
                        if (count[h] < m[h][p]) {
                            return p;
                        }
                    }
                }
            }
        }
        return -1;
    }

    boolean holds(int mask, int[] order, int len) {
        for (int r = 0; r < rules.size(); r++) {
            if ((mask & (1 << r)) != 0 && firstBreak(r, order, len) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Calls {@code action} on every ordering meeting the rules of {@code mask} (prefixes pruned as they break). */
    void forEachFeasible(int mask, Consumer<int[]> action) {
        int[] perm = new int[n];
        boolean[] used = new boolean[n];
        extend(mask, perm, used, 0, action);
    }

    private void extend(int mask, int[] perm, boolean[] used, int len, Consumer<int[]> action) {
        if (len == n) {
            action.accept(perm);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (used[i] == false) {
                used[i] = true;
                perm[len] = i;
                if (holds(mask, perm, len + 1)) {
                    extend(mask, perm, used, len + 1, action);
                }
                used[i] = false;
            }
        }
    }

    boolean feasible(int mask) {
        boolean[] found = {false};
        try {
            forEachFeasible(mask, perm -> {
                found[0] = true;
                throw new Found();
            });
        } catch (Found e) {
            // stop at the first
        }
        return found[0];
    }

    private static final class Found extends RuntimeException {
        Found() {
            super(null, null, false, false);
        }
    }

    /** The rules kept by priority: each joins the kept ones before it if some ordering meets them all. */
    int enforcedByPriority() {
        int kept = 0;
        for (int r = 0; r < rules.size(); r++) {
            if (feasible(kept | (1 << r))) {
                kept |= 1 << r;
            }
        }
        return kept;
    }
}
