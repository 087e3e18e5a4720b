package org.fairrescore.fairness;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * FA*IR with several protected groups of one field (Zehlike, Sühr, Baeza-Yates, Bonchi, Castillo, Hajian 2022, "Fair
 * top-k ranking with multiple protected groups"): every prefix of the window holds at least the count of each group
 * that the {@link MultinomialMTable} demands for minimum proportions {@code proportions} at (adjusted) significance
 * {@code alpha}. Hits carry a group index into {@code groups} ({@link WindowHits#groups()}; -1 = in no protected
 * group). The single-group {@link FairTopK} is a separate rule and stays as it is.
 *
 * @param groups      the protected values of the field, one per group, distinct (their order gives the group index)
 * @param proportions minimum proportion of each group, each strictly between 0 and 1, summing to less than 1
 * @param alpha       significance of the ranked group fairness test, strictly between 0 and 1
 */
public record GroupFairTopK(List<String> groups, double[] proportions, double alpha) implements QuotaPolicy {

    public GroupFairTopK {
        if (groups == null || proportions == null) {
            throw new IllegalArgumentException("group_fair_topk needs groups and proportions");
        }
        groups = List.copyOf(groups);
        proportions = proportions.clone();
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("group_fair_topk groups must not be empty");
        }
        if (groups.size() != proportions.length) {
            throw new IllegalArgumentException(
                    "group_fair_topk has " + groups.size() + " groups but " + proportions.length + " proportions");
        }
        Set<String> seen = new HashSet<>();
        for (String g : groups) {
            if (seen.add(g) == false) {
                throw new IllegalArgumentException("group_fair_topk groups must be distinct, [" + g + "] repeats");
            }
        }
        validate(proportions, alpha, groups);
    }

    /** Throws an {@link IllegalArgumentException} naming the parameter when proportions or alpha are out of range. */
    static void validate(double[] proportions, double alpha, List<String> names) {
        double sum = 0;
        for (int g = 0; g < proportions.length; g++) {
            double p = proportions[g];
            if ((p > 0 && p < 1) == false) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "group_fair_topk proportion of group [%s] must be strictly between 0 and 1, got %s",
                        names == null ? Integer.toString(g) : names.get(g),
                        p));
            }
            sum += p;
        }
        if ((sum < 1) == false) {
            throw new IllegalArgumentException("group_fair_topk proportions must sum to less than 1, got " + sum);
        }
        if ((alpha > 0 && alpha < 1) == false) {
            throw new IllegalArgumentException("group_fair_topk alpha must be strictly between 0 and 1, got " + alpha);
        }
    }

    @Override
    public double[] proportions() {
        return proportions.clone();
    }

    /** Number of protected groups. */
    public int groupCount() {
        return proportions.length;
    }

    /** Minimum proportion of group {@code g}. */
    public double proportion(int g) {
        return proportions[g];
    }

    @Override
    public String mode() {
        return "group_fair_topk";
    }

    @Override
    public boolean isActive() {
        return true;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("group_fair_topk");
        for (int g = 0; g < proportions.length; g++) {
            sb.append(' ').append(groups.get(g)).append(">=").append(proportions[g]);
        }
        return sb.append(" alpha=").append(alpha).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupFairTopK other
                && groups.equals(other.groups)
                && Arrays.equals(proportions, other.proportions)
                && Double.compare(alpha, other.alpha) == 0;
    }

    @Override
    public int hashCode() {
        return (groups.hashCode() * 31 + Arrays.hashCode(proportions)) * 31 + Double.hashCode(alpha);
    }

    @Override
    public String toString() {
        return "GroupFairTopK[groups=" + groups + ", proportions=" + Arrays.toString(proportions) + ", alpha=" + alpha
                + "]";
    }
}
