package org.fairrescore.fairness;

import java.util.List;

/**
 * The rules of one window ({@link RuleCheck}s, in priority order) and the labels placed so far. A rule set is a bit
 * mask over the checks' indices (bit {@code i}: the {@code i}-th rule in priority order).
 */
final class RuleState {

    final RuleModel model;
    final RuleCheck[] checks;
    /** Mask of every rule. */
    final int all;
    /** Labels of the placed positions. */
    final int[] placed;
    /** Positions placed. */
    int size;
    /** The cap's check, if a cap is among the rules (the feasibility-first completion schedules by its counts). */
    final CapCheck cap;
    /** The longest {@link RuleCheck#orderMemory()} of the rules. */
    final int orderMemory;

    /**
     * @param rules  active rules, in priority order (at most 31)
     * @param tables where the FA*IR m-tables of the window's length come from
     */
    RuleState(RuleModel model, List<QuotaPolicy> rules, MTableCache tables) {
        this.model = model;
        this.placed = new int[model.n];
        this.checks = new RuleCheck[rules.size()];
        CapCheck capCheck = null;
        for (int i = 0; i < checks.length; i++) {
            checks[i] = switch (rules.get(i)) {
                case ShopCap c -> capCheck = new CapCheck(c, model, placed);
                case ExposureShare s -> new ShareCheck(s, model);
                case FairTopK f ->
                    new MinimumsCheck(f, model, model.protectedOfLabel, new int[][] {
                        tables.get(model.n, f.p(), f.alpha()).minimums()
                    });
                case GroupFairTopK g ->
                    new MinimumsCheck(
                            g,
                            model,
                            model.groupOfLabel,
                            tables.multi(model.n, g.proportions(), g.alpha()).minimums());
                default ->
                    throw new IllegalArgumentException(
                            "not a rule: " + rules.get(i).mode());
            };
        }
        this.cap = capCheck;
        this.all = (1 << checks.length) - 1;
        int memory = 0;
        for (RuleCheck check : checks) {
            memory = Math.max(memory, check.orderMemory());
        }
        this.orderMemory = memory;
    }

    /** Whether every rule of {@code mask} allows {@code label} at the next position (each rule's look-ahead included). */
    boolean allows(int label, int mask) {
        for (int i = 0; i < checks.length; i++) {
            if ((mask & (1 << i)) != 0 && checks[i].allows(label, size) == false) {
                return false;
            }
        }
        return true;
    }

    /** The first rule of {@code mask} (priority order) that does not allow {@code label} at the next position, or -1. */
    int firstDisallowing(int label, int mask) {
        for (int i = 0; i < checks.length; i++) {
            if ((mask & (1 << i)) != 0 && checks[i].allows(label, size) == false) {
                return i;
            }
        }
        return -1;
    }

    /** Whether every rule of {@code mask} holds at the next position if {@code label} takes it (no look-ahead). */
    boolean holds(int label, int mask) {
        for (int i = 0; i < checks.length; i++) {
            if ((mask & (1 << i)) != 0 && checks[i].holds(label, size) == false) {
                return false;
            }
        }
        return true;
    }

    /** The first rule of {@code mask} that does not hold at the next position if {@code label} takes it, or -1. */
    int firstBroken(int label, int mask) {
        for (int i = 0; i < checks.length; i++) {
            if ((mask & (1 << i)) != 0 && checks[i].holds(label, size) == false) {
                return i;
            }
        }
        return -1;
    }

    /** Mask of the rules that would not hold at the next position if {@code label} took it. */
    int broken(int label) {
        int mask = 0;
        for (int i = 0; i < checks.length; i++) {
            if (checks[i].holds(label, size) == false) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    /**
     * The feasibility-first order of {@code label} (higher first): the hits its shop has left when the cap is in
     * {@code mask} (the exact schedule for a cap alone), then how many minimums of {@code mask} still need it.
     */
    int urgency(int label, int mask) {
        int capPart = 0;
        int other = 0;
        for (int i = 0; i < checks.length; i++) {
            if ((mask & (1 << i)) != 0) {
                if (checks[i] == cap) {
                    capPart = cap.urgency(label);
                } else {
                    other += checks[i].urgency(label);
                }
            }
        }
        return capPart * 8 + Math.min(7, other);
    }

    void place(int label) {
        for (RuleCheck check : checks) {
            check.place(label, size);
        }
        placed[size++] = label;
    }

    void undo() {
        int label = placed[--size];
        for (int i = checks.length - 1; i >= 0; i--) {
            checks[i].undo(label, size);
        }
    }
}
