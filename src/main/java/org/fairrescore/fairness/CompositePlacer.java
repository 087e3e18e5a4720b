package org.fairrescore.fairness;

import java.util.List;

/**
 * The one placement procedure for several rules and diversity (what it does and guarantees:
 * {@link QuotaReorderer#apply(WindowHits, QuotaPolicy, Diversity)}). Positions are filled top down; at each, the
 * candidates come in {@link MmrOrder} (score, or MMR, near duplicates last) and the first one the rules accept takes it.
 *
 * <ol>
 *   <li><b>Greedy</b>: every rule enforced, each rule's own look-ahead ({@link RuleCheck#allows}) applied, no combined
 *       test. When it fills the window it is the result: its own tail proves each of its choices completable, so the
 *       look-ahead below would have made the same choices. This is the common, fast path.</li>
 *   <li>Otherwise the <b>enforced rules</b> are chosen by priority: each rule joins the rules before it that were kept if
 *       {@link Completion} finds a completion of the whole window under them all; the other rules are <em>soft</em>
 *       (they give way where needed).</li>
 *   <li><b>Greedy with look-ahead</b>: each position takes the first candidate that the enforced rules allow and
 *       after which {@link Completion} finds a completion (or whose label is the current proven plan's there), preferring
 *       candidates that keep the soft rules too; when the budget is spent, the plan's label. The plan always exists, so
 *       the enforced rules hold at every position.</li>
 *   <li>Without diversity, when every rule holds everywhere, the <b>DCG search</b> ({@link RulesDcgSearch}) may replace
 *       the result by one with a strictly better DCG that meets every rule too.</li>
 * </ol>
 */
final class CompositePlacer {

    /**
     * A placed window and how it was reached.
     *
     * @param enforced   mask of the rules that were kept at every position (bit i: the i-th rule in priority order)
     * @param greedy     true when the plain greedy filled the window
     * @param dcgOptimal true when the DCG search proved that no ordering meeting every rule has a better DCG
     */
    record Outcome(Reordering reordering, int enforced, boolean greedy, boolean dcgOptimal) {}

    private final WindowHits hits;
    private final List<QuotaPolicy> rules;
    private final Diversity diversity;
    /** Diversity can move hits: it is on and there are vectors. */
    private final boolean diversifying;

    private final int n;
    private final RuleModel model;
    private final RuleState state;
    private final Pool pool;
    private final Completion completion;
    private final int[] order;
    private final byte[] ruleAt;
    private final boolean[] diversified;
    private final int[] duplicateOf;
    private final int[] gaveWay;
    private final int[] rejectedAt;
    private final byte[] blameOf;

    private CompositePlacer(WindowHits hits, List<QuotaPolicy> rules, Diversity diversity, MTableCache tables) {
        if (rules.size() > 30) {
            throw new IllegalArgumentException("too many rules: " + rules.size());
        }
        this.hits = hits;
        this.rules = rules;
        this.diversity = diversity;
        this.diversifying = diversity.isActive() && hits.vectors() != null;
        this.n = hits.size();
        this.model = RuleModel.of(hits);
        this.state = new RuleState(model, rules, tables);
        this.pool = new Pool(model);
        this.completion = new Completion(state, pool, Completion.budget(n));
        this.order = new int[n];
        this.ruleAt = new byte[n];
        this.diversified = new boolean[n];
        this.duplicateOf = new int[n];
        this.gaveWay = new int[n];
        this.rejectedAt = new int[model.labels];
        this.blameOf = new byte[model.labels];
    }

    /**
     * @param rules       active rules, in priority order
     * @param dcgBudget   work budget of the DCG search; {@code -1}: {@link DcgSearch#budget(int)}; {@code 0}: none (the
     *                    greedy-with-look-ahead result)
     */
    static Outcome solve(
            WindowHits hits, List<QuotaPolicy> rules, Diversity diversity, MTableCache tables, int dcgBudget) {
        return new CompositePlacer(hits, rules, diversity, tables).run(dcgBudget);
    }

    private Outcome run(int dcgBudget) {
        final int all = state.all;
        if (place(all, 0, false)) {
            return finish(all, true, dcgBudget);
        }
        reset();
        int enforced = 0;
        for (int i = 0; i < rules.size(); i++) {
            if (completion.complete(enforced | (1 << i))) {
                enforced |= 1 << i;
            }
        }
        // the plan the placement starts from, preferring the soft rules as the placement does (if the budget is spent,
        // the last test's plan; with no rule kept the score-first plan, which needs no budget)
        completion.complete(enforced, all & ~enforced);
        place(enforced, all & ~enforced, true);
        return finish(enforced, false, dcgBudget);
    }

    /** Fills every position; false when the plain greedy ({@code lookAhead} false) gets stuck. */
    private boolean place(int mask, int soft, boolean lookAhead) {
        MmrOrder candidates =
                new MmrOrder(model.scores, model.ranked.byScore, model.ranked.rankByScore, hits.vectors(), diversity);
        for (int p = 0; p < n; p++) {
            candidates.begin(p);
            int chosen = lookAhead
                    ? chooseWithLookAhead(p, candidates, mask, soft)
                    : candidates.next(i -> state.allows(model.labelOfHit[i], mask));
            if (chosen < 0) {
                if (lookAhead == false) {
                    return false;
                }
                // cannot happen while the plan is valid; should it, the best hit left (flagged where it breaks a rule)
                chosen = model.ranked.byScore[pool.first()];
            }
            explain(p, chosen, candidates, mask, soft);
            int label = model.labelOfHit[chosen];
            gaveWay[p] = state.broken(label);
            state.place(label);
            pool.take(model.ranked.rankByScore[chosen]);
            candidates.placed(chosen);
            order[p] = chosen;
        }
        return true;
    }

    private int chooseWithLookAhead(int p, MmrOrder candidates, int mask, int soft) {
        final int stamp = p + 1;
        final int[] plan = completion.plan;
        for (int pass = soft != 0 ? 0 : 1; pass < 2; pass++) {
            final boolean keepSoft = pass == 0;
            if (pass == 1) {
                candidates.restart();
            }
            while (true) {
                int c = candidates.next(i -> {
                    int label = model.labelOfHit[i];
                    return rejectedAt[label] != stamp
                            && state.allows(label, mask)
                            && (keepSoft == false || state.holds(label, soft));
                });
                if (c < 0) {
                    break;
                }
                int label = model.labelOfHit[c];
                if (plan[p] == label || completion.shifted(label, mask)) {
                    return c;
                }
                int rank = model.ranked.rankByScore[c];
                state.place(label);
                pool.take(rank);
                boolean ok = completion.complete(mask, soft);
                pool.untake(rank);
                state.undo();
                if (ok) {
                    plan[p] = label;
                    return c;
                }
                rejectedAt[label] = stamp;
                blameOf[label] = (byte) completion.blame;
            }
        }
        // no candidate proved completable (budget spent): the proven plan's label
        candidates.restart();
        final int want = plan[p];
        return candidates.next(i -> model.labelOfHit[i] == want);
    }

    /** Records why {@code chosen} and not the best-scored hit left takes position {@code p}. */
    private void explain(int p, int chosen, MmrOrder candidates, int mask, int soft) {
        duplicateOf[p] = candidates.duplicateOf(chosen);
        diversified[p] = false;
        int top = pool.first();
        int[] byScore = model.ranked.byScore;
        if (byScore[top] == chosen) {
            ruleAt[p] = Trace.NONE;
            return;
        }
        int topLabel = model.labelOfRank[top];
        int rule = state.firstDisallowing(topLabel, mask);
        if (rule < 0 && soft != 0) {
            rule = state.firstBroken(topLabel, soft);
        }
        if (rule < 0 && rejectedAt[topLabel] == p + 1) {
            rule = blameOf[topLabel];
        }
        if (rule < 0) {
            // the rules allowed the better hit: diversity chose (or, without it, the rules' look-ahead together)
            boolean diversityChose = diversifying && p < diversity.depth();
            ruleAt[p] = diversityChose ? Trace.NONE : Trace.ALL_RULES;
            diversified[p] = diversityChose;
            return;
        }
        ruleAt[p] = (byte) rule;
        if (diversifying && p < diversity.depth()) {
            // did diversity pass over a better-scored hit the rules allowed?
            int mine = model.ranked.rankByScore[chosen];
            for (int r = top + 1; r < mine; r++) {
                if (pool.isTaken(r)) {
                    continue;
                }
                int label = model.labelOfRank[r];
                if (state.allows(label, mask)
                        && (soft == 0 || state.holds(label, soft))
                        && rejectedAt[label] != p + 1) {
                    diversified[p] = true;
                    break;
                }
            }
        }
    }

    private Outcome finish(int enforced, boolean greedy, int dcgBudget) {
        boolean[] violates = new boolean[n];
        boolean met = true;
        for (int p = 0; p < n; p++) {
            violates[p] = gaveWay[p] != 0;
            met &= violates[p] == false;
        }
        int[] result = order;
        boolean optimal = false;
        if (met && diversifying == false) {
            reset();
            int budget = dcgBudget < 0 ? DcgSearch.budget(n) : dcgBudget;
            RulesDcgSearch search = new RulesDcgSearch(model, state, state.all, budget);
            optimal = search.run(order);
            if (search.improved) {
                result = search.bestOrder();
                replay(result);
            }
        }
        Trace trace = new Trace(rules, ruleAt, diversified, duplicateOf, gaveWay);
        return new Outcome(
                new Reordering(result, model.ranked.rankByScore, violates, met, trace), enforced, greedy, optimal);
    }

    /** Takes back every placed position. */
    private void reset() {
        while (state.size > 0) {
            pool.untake(model.ranked.rankByScore[order[state.size - 1]]);
            state.undo();
        }
    }

    /** The trace of the DCG search's order: every rule holds there; a worse hit moved up by a rule or by them all. */
    private void replay(int[] result) {
        for (int p = 0; p < n; p++) {
            int top = pool.first();
            int hit = result[p];
            if (model.ranked.byScore[top] == hit) {
                ruleAt[p] = Trace.NONE;
            } else {
                int rule = state.firstDisallowing(model.labelOfRank[top], state.all);
                ruleAt[p] = rule >= 0 ? (byte) rule : Trace.ALL_RULES;
            }
            diversified[p] = false;
            duplicateOf[p] = -1;
            state.place(model.labelOfHit[hit]);
            pool.take(model.ranked.rankByScore[hit]);
            order[p] = hit;
        }
    }
}
