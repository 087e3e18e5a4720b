package org.fairrescore.eval.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether any arrangement of a window's hits meets a quota in the first {@code k} positions: an exact depth-first
 * search over which kind of hit (shop, protected mark) takes each position. Only the multiset of kinds matters, never
 * scores, so "cannot be met" is a property of the window, not of a reordering strategy.
 *
 * <p>Shops that have not been placed yet and have the same number of hits and the same mark are interchangeable, so
 * only one of them is tried at each position; a quota that ignores shops ({@code fair_topk}) sees two kinds only.
 * The search is exact; a node budget bounds it, and a search that exceeds it answers {@link Verdict#UNDETERMINED}.
 */
public final class Feasibility {

    public enum Verdict { FEASIBLE, INFEASIBLE, UNDETERMINED }

    /** Default node budget: far above what windows of 50 hits and k = 10 need. */
    public static final long DEFAULT_BUDGET = 5_000_000L;

    private Feasibility() {}

    /** {@link #check(Quota, List, int, long)} with {@link #DEFAULT_BUDGET}. */
    public static Verdict check(Quota quota, List<Slot> window, int k) {
        return check(quota, window, k, DEFAULT_BUDGET);
    }

    /**
     * @param window the window's hits in any order
     * @param k      how many positions must meet the quota (fewer when the window is shorter)
     */
    public static Verdict check(Quota quota, List<Slot> window, int k, long budget) {
        Map<Slot, Integer> counts = new LinkedHashMap<>();
        for (Slot s : window) {
            Slot kind = quota.readsShops() ? s : new Slot(s.protectedHit() ? "protected" : "other", s.protectedHit());
            counts.merge(kind, 1, Integer::sum);
        }
        List<Slot> kinds = new ArrayList<>(counts.keySet());
        // Larger kinds first: a solution, when there is one, tends to be found early.
        kinds.sort((a, b) -> Integer.compare(counts.get(b), counts.get(a)));
        Map<String, Integer> kindsPerShop = new LinkedHashMap<>();
        for (Slot kind : kinds) {
            kindsPerShop.merge(kind.shop(), 1, Integer::sum);
        }
        Search search = new Search(quota, kinds, counts, kindsPerShop, Math.min(k, window.size()), budget);
        try {
            return search.fill() ? Verdict.FEASIBLE : Verdict.INFEASIBLE;
        } catch (BudgetExceeded e) {
            return Verdict.UNDETERMINED;
        }
    }

    private static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    private static final class Search {
        private final Quota quota;
        private final List<Slot> kinds;
        private final int[] remaining;
        private final boolean[] interchangeable;
        private final Map<String, Integer> placedPerShop = new LinkedHashMap<>();
        private final List<Slot> prefix = new ArrayList<>();
        private final int length;
        private long budget;

        Search(Quota quota, List<Slot> kinds, Map<Slot, Integer> counts, Map<String, Integer> kindsPerShop, int length,
               long budget) {
            this.quota = quota;
            this.kinds = kinds;
            this.remaining = new int[kinds.size()];
            this.interchangeable = new boolean[kinds.size()];
            for (int i = 0; i < kinds.size(); i++) {
                remaining[i] = counts.get(kinds.get(i));
                // A shop with hits of both marks is not interchangeable with a single-kind shop.
                interchangeable[i] = quota.readsShops() && kindsPerShop.get(kinds.get(i).shop()) == 1;
            }
            this.length = length;
            this.budget = budget;
        }

        boolean fill() {
            if (prefix.size() == length) {
                return true;
            }
            if (--budget < 0) {
                throw new BudgetExceeded();
            }
            Set<String> triedFresh = new HashSet<>();
            for (int i = 0; i < kinds.size(); i++) {
                if (remaining[i] == 0) {
                    continue;
                }
                Slot kind = kinds.get(i);
                boolean fresh = placedPerShop.getOrDefault(kind.shop(), 0) == 0;
                if (fresh && interchangeable[i] && triedFresh.add(kind.protectedHit() + "/" + remaining[i]) == false) {
                    continue; // an unplaced shop just like one already tried here
                }
                prefix.add(kind);
                remaining[i]--;
                placedPerShop.merge(kind.shop(), 1, Integer::sum);
                boolean ok = quota.endsOk(prefix) && fill();
                placedPerShop.merge(kind.shop(), -1, Integer::sum);
                remaining[i]++;
                prefix.remove(prefix.size() - 1);
                if (ok) {
                    return true;
                }
            }
            return false;
        }
    }
}
