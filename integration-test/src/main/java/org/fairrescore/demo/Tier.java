package org.fairrescore.demo;

/** How big a shop is, which decides what it sells and how it writes its listings. */
public enum Tier {
    /** General marketplaces: sell every category and write keyword-stuffed listings. */
    HEAD,
    /** Multi-category stores. */
    MID,
    /** Specialists selling one category, usually with descriptive, paraphrased listings. */
    TAIL
}
