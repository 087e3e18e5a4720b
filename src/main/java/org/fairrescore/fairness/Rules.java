package org.fairrescore.fairness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several rules at once, held in their <b>priority order</b> (whatever order they were given in):
 * <ol>
 *   <li>{@link FairTopK} (single protected group minimums),</li>
 *   <li>{@link GroupFairTopK} (several protected groups' minimums),</li>
 *   <li>{@link ShopCap},</li>
 *   <li>{@link ExposureShare}.</li>
 * </ol>
 * Minimums for protected groups come first: they are the guarantee made to a group (a protected hit that does not
 * show is lost for that group), while the cap and the share only spread the other hits out (a cap or share broken by
 * one position costs little to anyone); the share comes last as the softest, exposure-weighted ceiling. Diversity
 * ({@link Diversity}) ranks below every rule. At most one rule of each kind; no {@link QuotaPolicy.None} and no
 * nested {@code Rules}.
 *
 * <p>How the rules are applied together, and what is guaranteed: {@link QuotaReorderer#apply(WindowHits, QuotaPolicy,
 * Diversity)} and the package documentation.
 *
 * @param rules the rules, in priority order
 */
public record Rules(List<QuotaPolicy> rules) implements QuotaPolicy {

    public Rules {
        if (rules == null) {
            throw new IllegalArgumentException("rules must not be null");
        }
        List<QuotaPolicy> sorted = new ArrayList<>(rules.size());
        boolean[] seen = new boolean[4];
        for (QuotaPolicy rule : rules) {
            if (rule == null) {
                throw new IllegalArgumentException("rules must not contain null");
            }
            if (rule instanceof QuotaPolicy.None || rule instanceof Rules) {
                throw new IllegalArgumentException(
                        "rules take cap, share, fair_topk and group_fair_topk, got " + rule.mode());
            }
            int priority = priority(rule);
            if (seen[priority]) {
                throw new IllegalArgumentException("rules may hold one [" + rule.mode() + "] rule, got two");
            }
            seen[priority] = true;
            sorted.add(rule);
        }
        sorted.sort(Comparator.comparingInt(Rules::priority));
        rules = List.copyOf(sorted);
    }

    /**
     * The policy for a list of rules: the inactive ones dropped; none left gives {@link QuotaPolicy.None}, one gives
     * that rule itself (so a single rule keeps its own reorderer), more give {@code Rules}.
     */
    public static QuotaPolicy of(List<? extends QuotaPolicy> rules) {
        List<QuotaPolicy> active = new ArrayList<>();
        for (QuotaPolicy rule : rules) {
            if (rule instanceof Rules nested) {
                active.addAll(nested.active());
            } else if (rule != null && rule.isActive()) {
                active.add(rule);
            }
        }
        if (active.isEmpty()) {
            return QuotaPolicy.None.INSTANCE;
        }
        return active.size() == 1 ? active.get(0) : new Rules(active);
    }

    /** Rank of a rule in the priority order (0 first). */
    public static int priority(QuotaPolicy rule) {
        return switch (rule) {
            case FairTopK f -> 0;
            case GroupFairTopK g -> 1;
            case ShopCap c -> 2;
            case ExposureShare s -> 3;
            default -> throw new IllegalArgumentException("not a rule: " + rule.mode());
        };
    }

    /** The rules that can move anything, in priority order. */
    public List<QuotaPolicy> active() {
        return rules.stream().filter(QuotaPolicy::isActive).toList();
    }

    @Override
    public String mode() {
        return rules.stream().map(QuotaPolicy::mode).collect(Collectors.joining(",", "[", "]"));
    }

    @Override
    public boolean isActive() {
        return rules.stream().anyMatch(QuotaPolicy::isActive);
    }

    @Override
    public String describe() {
        return rules.stream().map(QuotaPolicy::describe).collect(Collectors.joining(" > ", "rules ", ""));
    }
}
