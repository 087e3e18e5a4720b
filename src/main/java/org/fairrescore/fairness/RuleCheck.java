package org.fairrescore.fairness;

/**
 * One rule's state while a window is placed position by position, over labels ({@link RuleModel}). Positions are
 * filled in order; {@link #place} and {@link #undo} (last in, first out) move the state, so a search can try a label
 * and take it back.
 */
abstract sealed class RuleCheck permits CapCheck, ShareCheck, MinimumsCheck {

    final QuotaPolicy rule;

    RuleCheck(QuotaPolicy rule) {
        this.rule = rule;
    }

    /** Whether the rule itself holds at position {@code p} if a hit of {@code label} takes it. */
    abstract boolean holds(int label, int p);

    /**
     * {@link #holds}, and the rule's own look-ahead: false only when no completion of the window can meet this rule
     * after {@code label} takes position {@code p} (a necessary condition for a completion; exact for the minimums).
     */
    abstract boolean allows(int label, int p);

    abstract void place(int label, int p);

    abstract void undo(int label, int p);

    /**
     * How many positions this check remembers the order of: after two orders of the same labels have placed the same
     * multiset, its state is the same once this many more positions followed in the same order. Counts-only checks
     * (the minimums) forget at once; the cap remembers the last {@code window - 1} positions. The share is a count
     * only per shop: a shop whose hits were moved down has no more exposure than on the other order, so it is allowed
     * wherever it was there; {@link Completion#shifted} tests the shop moved up itself to the end.
     */
    int orderMemory() {
        return 0;
    }

    /**
     * Whether a shop moved up keeps a higher state here for the rest of the window ({@link #orderMemory()}): then
     * {@link Completion#shifted} tests and places that shop's later hits with this check alone, which needs the check's
     * state for a shop to depend only on that shop's own placements.
     */
    boolean testsMovedShopToTheEnd() {
        return false;
    }

    /** A hint for the feasibility-first completion: labels with a higher value are the harder to place later. */
    int urgency(int label) {
        return 0;
    }
}
