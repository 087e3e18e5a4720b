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

    /** A hint for the feasibility-first completion: labels with a higher value are the harder to place later. */
    int urgency(int label) {
        return 0;
    }
}
