package org.fairrescore.eval;

/** The rankers the report compares: BM25 alone, and {@code fair_semantic} under each quota mode. */
public enum Configuration {
    BM25("bm25", "BM25 only", null),
    SEMANTIC("semantic", "fair_semantic, no quota (mode none)", "none"),
    CAP("cap", "fair_semantic + cap", "cap"),
    SHARE("share", "fair_semantic + share", "share"),
    FAIR_TOPK("fair_topk", "fair_semantic + fair_topk (long tail protected)", "fair_topk");

    private final String id;
    private final String label;
    private final String mode;

    Configuration(String id, String label, String mode) {
        this.id = id;
        this.label = label;
        this.mode = mode;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** The value of {@code index.fair_rescore.mode}, or null when the search has no rescore. */
    public String mode() {
        return mode;
    }

    public boolean rescored() {
        return mode != null;
    }

    /** Whether the configuration enforces a quota (cap, share, fair_topk). */
    public boolean hasQuota() {
        return mode != null && "none".equals(mode) == false;
    }
}
