package org.fairrescore.fairness;

import java.util.ArrayList;
import java.util.List;

/**
 * What moved each position of a placed window, for explain. Positions are 0-based positions in the new order.
 *
 * <p>At each position the placement compares its hit with the <em>best-scored hit not yet placed</em> there. When they
 * differ, the hit was moved up over that one, and the step says why: {@link Step#rule()} names the rule that passed
 * over the better hit (it did not allow it there, directly or because no completion of the window would then meet
 * the rules), {@link Step#diversified()} says that diversity chose among the hits the rules allowed (MMR, or the
 * better hit was a near duplicate), and {@link Step#byAllRules()} that the rules' DCG search arranged it (no single
 * rule rejected the better hit there). A hit that sits lower than its score rank was moved down by the first position
 * above it that took a worse-scored hit ({@link #displacedAt}). {@link Step#gaveWay()} lists the rules that do not
 * hold at the position: rules that could not all hold, the lower priority ones giving way.
 */
public final class Trace {

    /** {@code rule} value: no rule moved the hit. */
    static final byte NONE = -1;
    /** {@code rule} value: the rules together (DCG search) moved the hit. */
    static final byte ALL_RULES = -2;

    private final List<QuotaPolicy> rules;
    private final byte[] rule;
    private final boolean[] diversified;
    private final int[] duplicateOf;
    private final int[] gaveWay;

    Trace(List<QuotaPolicy> rules, byte[] rule, boolean[] diversified, int[] duplicateOf, int[] gaveWay) {
        this.rules = List.copyOf(rules);
        this.rule = rule;
        this.diversified = diversified;
        this.duplicateOf = duplicateOf;
        this.gaveWay = gaveWay;
    }

    /**
     * One position's account.
     *
     * @param rule        the rule that passed over the best-scored hit not yet placed, so this hit moved up; null when
     *                    none did
     * @param byAllRules  the rules' DCG search placed this hit over a better-scored one that every rule allowed here
     * @param diversified diversity chose this hit over a better-scored hit the rules allowed (MMR, or that hit was a near
     *                    duplicate set aside)
     * @param duplicateOf input index of the hit placed above that this hit nearly duplicates (it was moved below the
     *                    non-duplicates), or -1
     * @param gaveWay     the rules that do not hold at this position (empty when all hold)
     */
    public record Step(
            QuotaPolicy rule, boolean byAllRules, boolean diversified, int duplicateOf, List<QuotaPolicy> gaveWay) {

        /** True when nothing moved the hit at this position (it was the best-scored hit left). */
        public boolean unmoved() {
            return rule == null && byAllRules == false && diversified == false && duplicateOf < 0;
        }
    }

    /** The rules, in priority order. */
    public List<QuotaPolicy> rules() {
        return rules;
    }

    public int size() {
        return rule.length;
    }

    public Step step(int position) {
        byte r = rule[position];
        List<QuotaPolicy> broken = List.of();
        if (gaveWay[position] != 0) {
            broken = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                if ((gaveWay[position] & (1 << i)) != 0) {
                    broken.add(rules.get(i));
                }
            }
            broken = List.copyOf(broken);
        }
        return new Step(
                r >= 0 ? rules.get(r) : null, r == ALL_RULES, diversified[position], duplicateOf[position], broken);
    }

    /**
     * For a hit placed below its score rank: the first position above it that took a worse-scored hit (whose
     * {@link #step} says why), or -1 when the hit is not below its score rank.
     */
    public static int displacedAt(Reordering reordering, int hit) {
        int[] order = reordering.order();
        int[] rank = reordering.rankByScore();
        int mine = rank[hit];
        for (int q = 0; q < order.length && order[q] != hit; q++) {
            if (rank[order[q]] > mine) {
                return q;
            }
        }
        return -1;
    }

    /** The trace of a single rule's reorderer: where a worse-scored hit took a position, that rule moved it. */
    static Trace single(QuotaPolicy policy, Reordering r) {
        int n = r.order().length;
        byte[] rule = new byte[n];
        int[] gaveWay = new int[n];
        boolean[] taken = new boolean[n];
        int first = 0;
        for (int p = 0; p < n; p++) {
            while (first < n && taken[first]) {
                first++;
            }
            int rank = r.rankByScore()[r.order()[p]];
            taken[rank] = true;
            rule[p] = rank == first ? NONE : 0;
            gaveWay[p] = r.violates()[p] ? 1 : 0;
        }
        int[] noDuplicates = new int[n];
        java.util.Arrays.fill(noDuplicates, -1);
        List<QuotaPolicy> rules = policy instanceof QuotaPolicy.None ? List.of() : List.of(policy);
        if (rules.isEmpty()) {
            java.util.Arrays.fill(rule, NONE);
        }
        return new Trace(rules, rule, new boolean[n], noDuplicates, gaveWay);
    }
}
