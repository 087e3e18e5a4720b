package org.fairrescore.demo;

/** Graded relevance of a product for a demo query (the gain used by nDCG-style evaluation). */
public enum Relevance {
    /** The product is what the query asks for. */
    EXACT(2),
    /** A close substitute: useful to someone issuing the query, but not the thing itself. */
    PARTIAL(1),
    /** Not what the query asks for, even when it shares the query's words. */
    IRRELEVANT(0);

    private final int gain;

    Relevance(int gain) {
        this.gain = gain;
    }

    public int gain() {
        return gain;
    }
}
