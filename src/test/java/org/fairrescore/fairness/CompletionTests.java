package org.fairrescore.fairness;

import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * {@link Completion#shifted}, the placement's cheap test of an MMR deviation from its proven plan, against the rules'
 * definitions ({@link RuleOracle}) on random small windows: it says yes exactly when the shifted order (the label up
 * front, the plan without its first later occurrence of it) meets every rule at every prefix, and then that order is
 * the new plan; on no, the plan is untouched.
 */
public class CompletionTests {

    @Test
    public void shiftedPlanIsAcceptedExactlyWhenEveryRuleHoldsOnIt() {
        Random random = new Random(57);
        MTableCache tables = new MTableCache(64);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 1500; round++) {
            int n = 4 + random.nextInt(11);
            int shops = 1 + random.nextInt(4);
            int[] shop = new int[n];
            int[] group = new int[n];
            for (int i = 0; i < n; i++) {
                shop[i] = random.nextInt(shops);
                group[i] = random.nextInt(3) - 1;
            }
            WindowHits hits = WindowHits.of(QuotaModesTests.distinctScores(random, n))
                    .withShopIds(shop)
                    .withGroupIds(group);
            List<QuotaPolicy> rules = new ArrayList<>();
            if (random.nextBoolean()) {
                rules.add(new ShopCap(1 + random.nextInt(2), 2 + random.nextInt(3)));
            }
            if (random.nextBoolean()) {
                rules.add(new ExposureShare(0.4 + 0.2 * random.nextDouble(), 2 + random.nextInt(2)));
            }
            if (rules.isEmpty() || random.nextBoolean()) {
                rules.add(new GroupFairTopK(List.of("a", "b"), new double[] {0.3, 0.2}, 0.1));
            }
            RuleModel model = RuleModel.of(hits);
            RuleState state = new RuleState(model, rules, tables);
            Pool pool = new Pool(model);
            Completion completion = new Completion(state, pool, Completion.budget(n));
            RuleOracle oracle = new RuleOracle(hits, rules, tables);
            int mask = state.all;
            if (completion.complete(mask) == false) {
                continue;
            }
            // follow the plan for a random prefix, then try every label that has a hit left
            int prefix = random.nextInt(n);
            int[] order = new int[n];
            for (int p = 0; p < prefix; p++) {
                order[p] = take(model, state, pool, completion.plan[p]);
            }
            int[] plan = completion.plan.clone();
            for (int label = 0; label < model.labels; label++) {
                if (pool.left[label] == 0) {
                    continue;
                }
                int[] expected = shiftedPlan(plan, prefix, label);
                boolean holds = oracle.holds(mask, hitOrder(model, order, prefix, expected), n);
                String where = "round " + round + " label " + label + " prefix " + prefix + " rules " + rules;
                assertEquals(where, holds, completion.shifted(label, mask));
                assertEquals(where, prefix, state.size); // the walk took itself back
                if (holds) {
                    assertArrayEquals(where, expected, completion.plan);
                    System.arraycopy(plan, 0, completion.plan, 0, n);
                    accepted++;
                } else {
                    assertArrayEquals(where, plan, completion.plan);
                    refused++;
                }
            }
        }
        assertTrue("accepted " + accepted, accepted > 1000);
        assertTrue("refused " + refused, refused > 300);
    }

    /** Places the best unplaced hit of {@code label}; returns the hit. */
    private static int take(RuleModel model, RuleState state, Pool pool, int label) {
        for (int r = 0; r < model.n; r++) {
            if (model.labelOfRank[r] == label && pool.isTaken(r) == false) {
                state.place(label);
                pool.take(r);
                return model.ranked.byScore[r];
            }
        }
        throw new AssertionError("no hit of label " + label + " left");
    }

    private static int[] shiftedPlan(int[] plan, int from, int label) {
        int[] out = plan.clone();
        int q = from;
        while (plan[q] != label) {
            q++;
        }
        System.arraycopy(plan, from, out, from + 1, q - from);
        out[from] = label;
        return out;
    }

    /** The placed hits, then for each later label of {@code labels} the best hit of it not used yet. */
    private static int[] hitOrder(RuleModel model, int[] placed, int prefix, int[] labels) {
        int[] order = Arrays.copyOf(placed, model.n);
        boolean[] used = new boolean[model.n];
        for (int p = 0; p < prefix; p++) {
            used[placed[p]] = true;
        }
        for (int p = prefix; p < model.n; p++) {
            for (int r = 0; r < model.n; r++) {
                int hit = model.ranked.byScore[r];
                if (used[hit] == false && model.labelOfHit[hit] == labels[p]) {
                    used[hit] = true;
                    order[p] = hit;
                    break;
                }
            }
        }
        return order;
    }
}
