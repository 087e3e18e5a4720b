package org.fairrescore.fairness;

/**
 * A quota an index admin configures for the rescore window. Each mode is a record validated on construction; the
 * {@link QuotaReorderer} applies it. Pure Java: no OpenSearch types.
 */
public sealed interface QuotaPolicy permits QuotaPolicy.None, ShopCap, ExposureShare, FairTopK, GroupFairTopK, Rules {

    /** The {@code index.fair_rescore.mode} value naming this policy. */
    String mode();

    /** True when the policy can move anything. */
    boolean isActive();

    /** Human-readable parameters, for explain. */
    String describe();

    /** No quota: plain score order. */
    record None() implements QuotaPolicy {
        public static final None INSTANCE = new None();

        @Override
        public String mode() {
            return "none";
        }

        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public String describe() {
            return "none";
        }
    }
}
