package org.fairrescore.fairness;

/**
 * The combined feasibility test of the placement: can the hits not placed yet fill the remaining positions so that
 * every rule of a set holds at every position? Each rule's own look-ahead ({@link RuleCheck#allows}) only rules out
 * states no completion can save (for the cap alone and the minimums alone it is exact or close to it); together the
 * rules interact, so the test <em>finds a completion</em>, and only a found completion counts:
 * <ol>
 *   <li>a score-first completion: each position takes the best remaining hit that every rule allows, preferring one
 *       that keeps the soft rules too, which is what the placement itself would choose (so its plan is followed from
 *       then on without further tests);</li>
 *   <li>if that gets stuck, a feasibility-first completion: each position takes the allowed label whose shop has the
 *       most hits left (the exact order for a cap alone), then the one a minimum still needs, then the best score;</li>
 *   <li>if that gets stuck too, a depth-first search over labels (children in the feasibility-first order), which is
 *       exhaustive while the work budget lasts.</li>
 * </ol>
 * So the test is <b>sound</b> (true only with a completion in hand, written to {@link #plan}) and, within the budget,
 * <b>complete</b>: every window of at most {@value #EXHAUSTIVE_MAX} hits is searched to the end, so there it is exact.
 * On larger windows a completion may exist that the budget did not reach; the placement then keeps the last plan it
 * proved. The budget ({@link #budget(int)}) is shared by all tests of one window.
 */
final class Completion {

    /** Windows up to this many hits get an unbounded budget: the search over their labels is always finished. */
    static final int EXHAUSTIVE_MAX = 8;

    private final RuleState state;
    private final Pool pool;
    private final RuleModel model;
    private final int n;
    /** A completion: the label of each position from the state's size on, valid after a successful test. */
    final int[] plan;

    private final int[] scratch;
    private final int[] takenStack;
    private final int budget;
    int work;
    /** After a failed test: the rule (index) that blocked the score-first completion where it got stuck, or -1. */
    int blame;

    Completion(RuleState state, Pool pool, int budget) {
        this.state = state;
        this.pool = pool;
        this.model = state.model;
        this.n = model.n;
        this.plan = new int[n];
        this.scratch = new int[n];
        this.takenStack = new int[n];
        this.budget = budget;
    }

    /** Work units (completion steps and search nodes) for one window. */
    static int budget(int n) {
        return n <= EXHAUSTIVE_MAX ? Integer.MAX_VALUE : 20_000 + 200 * n;
    }

    boolean exhausted() {
        return work >= budget;
    }

    /** Whether the remaining hits can complete the window under the rules of {@code mask}; if so, {@link #plan} holds how. */
    boolean complete(int mask) {
        return complete(mask, 0);
    }

    /**
     * {@link #complete(int)}; the score-first completion prefers hits that keep the rules of {@code soft} where that
     * costs no rule of {@code mask}.
     */
    boolean complete(int mask, int soft) {
        final int from = state.size;
        if (from == n) {
            return true;
        }
        blame = -1;
        if (exhausted() && mask != 0) {
            return false; // (no rule: the score-first completion always succeeds, and it is needed for a plan)
        }
        if (simulate(mask, soft, false) || simulate(mask, 0, true)) {
            System.arraycopy(scratch, from, plan, from, n - from);
            return true;
        }
        if (search(mask)) {
            System.arraycopy(scratch, from, plan, from, n - from);
            return true;
        }
        return false;
    }

    /**
     * A cheap test of a deviation from the proven {@link #plan}: {@code label} takes the next position and the plan
     * follows without its first later {@code label} (the plan's labels from there, one position later up to that
     * occurrence {@code q}). Rules read only the labels placed, not which hit of a label, and the plan met every rule
     * of {@code mask} from here, so the walk tests the rules up to {@code q} and for the rules' {@link
     * RuleState#orderMemory} positions after it; from then on the rules' states equal the plan's except for the shares
     * of exposure (no higher than the plan's, but for the shop moved up), so only the shop of {@code label} is tested
     * to the end. True proves a completion, which becomes the plan (its first label {@code label}). MMR moves a hit a
     * few places up far more often than it needs a new completion, and this costs a fraction of one (exact against
     * the rules' definitions: {@code CompletionTests}). Counts against the budget like the completions.
     */
    boolean shifted(int label, int mask) {
        final int from = state.size;
        int q = from;
        while (q < n && plan[q] != label) {
            q++;
        }
        if (q == n || exhausted()) {
            return false;
        }
        final int settled = Math.min(n - 1, q + state.orderMemory);
        int depth = 0;
        boolean ok = true;
        for (int t = from; t <= settled; t++) {
            work++;
            int next = t == from ? label : t <= q ? plan[t - 1] : plan[t];
            if (state.allows(next, mask) == false) {
                ok = false;
                break;
            }
            state.place(next);
            depth++;
        }
        if (ok && settled < n - 1) {
            ok = movedShopKeepsItsShare(label, mask, settled + 1);
        }
        while (depth-- > 0) {
            state.undo();
        }
        if (ok) {
            System.arraycopy(plan, from, plan, from + 1, q - from);
            plan[from] = label;
        }
        return ok;
    }

    /**
     * The rest of {@link #shifted}'s walk, from position {@code start} on, where every rule's state equals the plan's
     * but for the exposure of the shop of {@code label}, moved up: that shop's hits of the plan are tested and placed by
     * the checks that keep a per-shop state ({@link RuleCheck#testsMovedShopToTheEnd}), then taken back.
     */
    private boolean movedShopKeepsItsShare(int label, int mask, int start) {
        final int shop = model.shopOfLabel[label];
        final RuleCheck[] checks = state.checks;
        int placed = 0;
        boolean ok = true;
        for (int t = start; t < n && ok; t++) {
            int next = plan[t];
            if (model.shopOfLabel[next] != shop) {
                continue;
            }
            work++;
            for (int i = 0; i < checks.length; i++) {
                if ((mask & (1 << i)) != 0
                        && checks[i].testsMovedShopToTheEnd()
                        && checks[i].allows(next, t) == false) {
                    ok = false;
                }
            }
            if (ok) {
                for (int i = 0; i < checks.length; i++) {
                    if ((mask & (1 << i)) != 0 && checks[i].testsMovedShopToTheEnd()) {
                        checks[i].place(next, t);
                    }
                }
                takenStack[placed++] = t;
            }
        }
        while (placed-- > 0) {
            int t = takenStack[placed];
            for (int i = checks.length - 1; i >= 0; i--) {
                if ((mask & (1 << i)) != 0 && checks[i].testsMovedShopToTheEnd()) {
                    checks[i].undo(plan[t], t);
                }
            }
        }
        return ok;
    }

    /** A greedy completion into {@link #scratch}; the state and pool are restored afterwards. */
    private boolean simulate(int mask, int soft, boolean feasibilityFirst) {
        final int from = state.size;
        int depth = 0;
        boolean ok = true;
        while (state.size < n) {
            int chosen = -1;
            int best = -1;
            int bestKey = Integer.MIN_VALUE;
            for (int r = RankedGroups.nextHead(pool.heads, 0); r >= 0; r = RankedGroups.nextHead(pool.heads, r + 1)) {
                work++;
                if (best < 0) {
                    best = r;
                }
                int label = model.labelOfRank[r];
                if (state.allows(label, mask)) {
                    if (feasibilityFirst == false) {
                        if (chosen < 0) {
                            chosen = r; // the best the rules allow
                        }
                        if (soft == 0 || state.holds(label, soft)) {
                            chosen = r; // the best keeping the soft rules too
                            break;
                        }
                        continue;
                    }
                    int key = state.urgency(label, mask);
                    if (key > bestKey) {
                        bestKey = key;
                        chosen = r;
                    }
                }
            }
            if (chosen < 0) {
                if (feasibilityFirst == false && best >= 0) {
                    blame = state.firstDisallowing(model.labelOfRank[best], mask);
                }
                ok = false;
                break;
            }
            int label = model.labelOfRank[chosen];
            scratch[state.size] = label;
            takenStack[depth++] = chosen;
            state.place(label);
            pool.take(chosen);
        }
        while (depth > 0) {
            pool.untake(takenStack[--depth]);
            state.undo();
        }
        assert state.size == from;
        return ok;
    }

    /** Depth-first search over labels, within the budget; on success {@link #scratch} holds the completion. */
    private boolean search(int mask) {
        if (state.size == n) {
            return true;
        }
        if (++work >= budget) {
            return false;
        }
        // the allowed labels (their heads), most urgent first
        int count = 0;
        int[] kids = new int[Math.min(model.labels, n - state.size)];
        long[] keys = new long[kids.length];
        for (int r = RankedGroups.nextHead(pool.heads, 0); r >= 0; r = RankedGroups.nextHead(pool.heads, r + 1)) {
            int label = model.labelOfRank[r];
            if (state.allows(label, mask)) {
                if (count == kids.length) {
                    kids = java.util.Arrays.copyOf(kids, count * 2);
                    keys = java.util.Arrays.copyOf(keys, count * 2);
                }
                keys[count] = ((long) (Integer.MAX_VALUE - state.urgency(label, mask)) << 32) | r;
                count++;
            }
        }
        java.util.Arrays.sort(keys, 0, count);
        for (int c = 0; c < count; c++) {
            int r = (int) keys[c];
            int label = model.labelOfRank[r];
            scratch[state.size] = label;
            state.place(label);
            pool.take(r);
            boolean ok = search(mask);
            pool.untake(r);
            state.undo();
            if (ok) {
                return true;
            }
            if (work >= budget) {
                return false;
            }
        }
        return false;
    }
}
