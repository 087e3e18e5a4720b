package org.fairrescore.demo;

/**
 * How a product's text relates, word for word, to the query of the intent it was generated for
 * (words as OpenSearch's standard analyzer sees them: lower-cased, no stemming).
 */
public enum Phrasing {
    /** The title contains every query word ("Running Shoes Men's"). */
    KEYWORD,
    /**
     * The title contains some query words but not all ("Trail Running Sneakers"), and the description adds
     * none of the missing ones: BM25 finds it, but ranks it below keyword listings.
     */
    PARAPHRASE,
    /** Neither title nor description contains a query word ("Marathon Racing Flats"): BM25 cannot find it. */
    NO_OVERLAP
}
