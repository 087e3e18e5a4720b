package org.fairrescore.fairness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link QuotaPolicy} (one rule, or several as {@link Rules}) and a {@link Diversity} to one window. The same
 * code runs per shard in the rescorer and over the merged hits in the coordinator's search pipeline processor. The
 * model and its guarantees: the package documentation ({@code package-info.java}).
 */
public final class QuotaReorderer {

    private final MTableCache mtables;

    public QuotaReorderer(MTableCache mtables) {
        this.mtables = mtables;
    }

    /**
     * @param scores       blended scores of the window's hits, any order
     * @param groups       shop group of each hit (distinct ids for hits without a shop)
     * @param protectedHit whether each hit is protected (used by {@code fair_topk} only; may be null otherwise)
     */
    public Reordering apply(float[] scores, int[] groups, boolean[] protectedHit, QuotaPolicy policy) {
        Reordering r = switch (policy) {
            case QuotaPolicy.None none -> identity(scores);
            case ShopCap cap -> CapReorderer.reorder(scores, groups, cap);
            case ExposureShare share -> ShareReorderer.reorder(scores, groups, share);
            case FairTopK fair ->
                FairTopKReorderer.reorder(
                        scores,
                        protectedHit == null ? new boolean[scores.length] : protectedHit,
                        mtables.get(scores.length, fair.p(), fair.alpha()).minimums());
            case GroupFairTopK g -> null;
            case Rules rules -> null;
        };
        if (r == null) { // no group ids here: every hit is in no group
            return apply(new WindowHits(scores, groups, protectedHit, null, null), policy, Diversity.OFF);
        }
        return r.withTrace(Trace.single(policy, r));
    }

    /**
     * Places one window under {@code policy} and {@code diversity}.
     *
     * <p><b>One rule without diversity</b> ({@link ShopCap}, {@link ExposureShare}, {@link FairTopK}, alone or as the
     * only active rule of a {@link Rules}): that rule's own reorderer ({@link CapReorderer}, {@link ShareReorderer},
     * {@link FairTopKReorderer}), exactly as before, with a {@link Trace} added.
     *
     * <p><b>Otherwise</b> (two or more rules, a {@link GroupFairTopK}, or diversity on): one placement procedure fills
     * the positions top down, each with the most preferred hit (best score, or best MMR value under
     * {@code diversity}, near duplicates last) that keeps every rule satisfiable for the rest of the window, the rules
     * taken in {@link Rules}' priority order. Guarantees:
     * <ul>
     *   <li>Each rule is either <em>enforced</em> (it holds at every position) or <em>gives way</em>. A rule is
     *       enforced whenever the window has an ordering meeting it together with the enforced rules before it in
     *       priority order, <em>and the completion search finds one</em>: always on windows of at most
     *       {@value Completion#EXHAUSTIVE_MAX} hits (the search is exhaustive), and on larger ones whenever the plain
     *       greedy, a score-first or a feasibility-first completion, or the budgeted search finds one (in practice all
     *       but adversarial windows). In particular when some ordering meets every rule, every rule holds at every
     *       position (windows up to 8 hits: always).</li>
     *   <li>A rule that gives way still acts where it can: the placement prefers hits that keep it, and
     *       {@link Trace.Step#gaveWay()} names it at each position where it does not hold ({@link Reordering#violates()}
     *       marks those positions, {@link Reordering#quotaMet()} is false).</li>
     *   <li>Each position's hit is the most preferred one for which a completion under the enforced rules was found:
     *       without diversity and when the plain greedy fills the window, the lexicographically best ordering meeting
     *       the rules; then, when every rule holds, the DCG search ({@link RulesDcgSearch}) replaces it only by an
     *       ordering with a strictly better DCG that meets every rule (proven DCG-optimal on windows of at most 8
     *       hits).</li>
     *   <li>Diversity never breaks an enforced rule: MMR and the near-duplicate move only choose among the hits the
     *       rules allow.</li>
     * </ul>
     * The {@link Trace} says, per position, which rule (or diversity) moved the hit and which rules gave way.
     *
     * @param diversity null or {@link Diversity#OFF} for none
     */
    public Reordering apply(WindowHits hits, QuotaPolicy policy, Diversity diversity) {
        Diversity d = diversity == null ? Diversity.OFF : diversity;
        if (hits.size() == 0) {
            Reordering empty = new Reordering(new int[0], new int[0], new boolean[0], true);
            return empty.withTrace(Trace.single(QuotaPolicy.None.INSTANCE, empty));
        }
        List<QuotaPolicy> rules = switch (policy) {
            case QuotaPolicy.None none -> List.of();
            case Rules r -> r.active();
            default -> policy.isActive() ? List.of(policy) : List.of();
        };
        if (d.isActive() == false
                && (rules.size() == 0 || (rules.size() == 1 && !(rules.get(0) instanceof GroupFairTopK)))) {
            QuotaPolicy single =
                    rules.isEmpty() ? policy instanceof Rules ? QuotaPolicy.None.INSTANCE : policy : rules.get(0);
            return apply(hits.scores(), shopIds(hits), hits.protectedHits(), single);
        }
        return CompositePlacer.solve(hits, rules, d, mtables, -1).reordering();
    }

    /**
     * {@link #apply(WindowHits, QuotaPolicy, Diversity)}, with the window's scores: 1 + blend, lowered just enough to be
     * strictly decreasing ({@link Placement#windowScores}).
     */
    public Placement place(WindowHits hits, QuotaPolicy policy, Diversity diversity) {
        Reordering reordering = apply(hits, policy, diversity);
        int n = hits.size();
        float[] inOrder = new float[n];
        for (int p = 0; p < n; p++) {
            inOrder[p] = hits.scores()[reordering.order()[p]];
        }
        return new Placement(reordering, Placement.windowScores(inOrder), hits.protectedHits());
    }

    private static int[] shopIds(WindowHits hits) {
        if (hits.shops() != null) {
            return hits.shops();
        }
        int[] ids = new int[hits.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return ids;
    }

    /**
     * Places one window under {@code policy}: its hits grouped by their quota field's value (a shop; hits without one
     * are a group each), protected where that value is {@code protectedValue}, reordered, and scored 1 + blend,
     * strictly decreasing. The rescorer does this per shard and the search pipeline over the merged hits.
     *
     * @param blends         the blend of each hit, in [0, 1], in any order
     * @param keys           the quota field's value of each hit (null entries: none), or null when the policy reads no field
     * @param protectedValue the value of the field that marks a protected hit ({@code fair_topk}), or null
     */
    public Placement place(float[] blends, String[] keys, String protectedValue, QuotaPolicy policy) {
        int n = blends.length;
        int[] groups = new int[n];
        boolean[] protectedHits = protectedValue == null ? null : new boolean[n];
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String key = keys == null ? null : keys[i];
            groups[i] = key == null ? -1 - i : ids.computeIfAbsent(key, k -> ids.size());
            if (protectedHits != null) {
                protectedHits[i] = protectedValue.equals(key);
            }
        }
        Reordering reordering = apply(blends, groups, protectedHits, policy);
        float[] inOrder = new float[n];
        for (int p = 0; p < n; p++) {
            inOrder[p] = blends[reordering.order()[p]];
        }
        return new Placement(reordering, Placement.windowScores(inOrder), protectedHits);
    }

    /** The m-table used for a window of {@code k} hits under {@code fair}. */
    public MTable mtable(int k, FairTopK fair) {
        return mtables.get(k, fair.p(), fair.alpha());
    }

    /** The multinomial m-table used for a window of {@code k} hits under {@code groups}. */
    public MultinomialMTable mtable(int k, GroupFairTopK groups) {
        return mtables.multi(k, groups.proportions(), groups.alpha());
    }

    static Reordering identity(float[] scores) {
        return CapReorderer.reorder(scores, new int[scores.length], ShopCap.NONE);
    }
}
