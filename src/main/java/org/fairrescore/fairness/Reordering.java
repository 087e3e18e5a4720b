package org.fairrescore.fairness;

/**
 * The result of a quota reorder of one window.
 *
 * @param order       {@code order[p]} is the input index of the hit placed at new position {@code p}
 * @param rankByScore {@code rankByScore[i]} is the position input hit {@code i} would take in plain score order
 * @param violates    {@code violates[p]} is true when the hit at new position {@code p} breaks a rule because no
 *                    remaining hit could fill that position without breaking it (the window cannot meet the rules;
 *                    with several rules, {@link Trace.Step#gaveWay()} names the rules broken there)
 * @param quotaMet    true when every rule holds at every position of the window
 * @param trace       per position, what moved the hit there (rule, diversity, near duplicate) and which rules gave way;
 *                    set by {@link QuotaReorderer}, null when a reorderer's result is used directly
 */
public record Reordering(int[] order, int[] rankByScore, boolean[] violates, boolean quotaMet, Trace trace) {

    /** A reordering without a trace. */
    public Reordering(int[] order, int[] rankByScore, boolean[] violates, boolean quotaMet) {
        this(order, rankByScore, violates, quotaMet, null);
    }

    /** This reordering with {@code trace}. */
    public Reordering withTrace(Trace trace) {
        return new Reordering(order, rankByScore, violates, quotaMet, trace);
    }

    /** Number of hits whose position differs from plain score order. */
    public int moved() {
        int moved = 0;
        for (int p = 0; p < order.length; p++) {
            if (rankByScore[order[p]] != p) {
                moved++;
            }
        }
        return moved;
    }

    /** The new position of each input hit: the inverse of {@link #order()}. */
    public int[] positions() {
        int[] positions = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            positions[order[p]] = p;
        }
        return positions;
    }
}
