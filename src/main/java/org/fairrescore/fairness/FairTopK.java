package org.fairrescore.fairness;

import java.util.Locale;

/**
 * FA*IR: every prefix of the window holds at least the protected count that the ranked group fairness test with
 * minimum proportion {@code p} at (adjusted) significance {@code alpha} demands.
 */
public record FairTopK(double p, double alpha) implements QuotaPolicy {

    public FairTopK {
        if ((p > 0 && p < 1) == false) {
            throw new IllegalArgumentException("protected_share (FA*IR p) must be strictly between 0 and 1, got " + p);
        }
        if ((alpha > 0 && alpha < 1) == false) {
            throw new IllegalArgumentException("alpha must be strictly between 0 and 1, got " + alpha);
        }
    }

    @Override
    public String mode() {
        return "fair_topk";
    }

    @Override
    public boolean isActive() {
        return true;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "fair_topk p=%s alpha=%s", p, alpha);
    }
}
