package org.fairrescore.quota;

import org.fairrescore.fairness.ExposureShare;
import org.fairrescore.fairness.FairTopK;
import org.fairrescore.fairness.GroupFairTopK;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.Rules;
import org.fairrescore.fairness.ShopCap;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.settings.ParsedCache;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryShardContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quota of one search on one shard: the index's {@code index.fair_rescore.*} settings, with the clause's
 * {@code quota} overrides laid over them where the index allows it, turned into a {@link QuotaPolicy} (one rule, or
 * several as {@link Rules}) and the keyword fields it reads.
 *
 * @param policy         the policy to apply
 * @param shopField      keyword field naming each hit's shop ({@code cap}, {@code share}), else null
 * @param protectedField keyword field marking protected hits ({@code fair_topk}), else null
 * @param protectedValue the value of {@code protectedField} that marks a protected hit
 * @param groupField     keyword field whose values are the protected groups ({@code group_fair_topk}), else null
 * @param unapplied      why (part of) the index's quota is not applied on this shard (its field is not mapped here), or
 *                       null
 */
public record ResolvedQuota(
        QuotaPolicy policy,
        String shopField,
        String protectedField,
        String protectedValue,
        String groupField,
        String unapplied) {

    public ResolvedQuota(QuotaPolicy policy, String shopField, String protectedField, String protectedValue) {
        this(policy, shopField, protectedField, protectedValue, null, null);
    }

    public ResolvedQuota(
            QuotaPolicy policy, String shopField, String protectedField, String protectedValue, String unapplied) {
        this(policy, shopField, protectedField, protectedValue, null, unapplied);
    }

    /**
     * Checks that a setting names a usable keyword field; shards check the mapping, the coordinator cannot.
     * Returns false when the field is not mapped in the index (the quota is then not applied there).
     */
    @FunctionalInterface
    public interface FieldCheck {
        boolean check(String setting, String field, String index);
    }

    /** The quota of {@code context}'s index for one search, its keyword fields checked against the shard's mapping. */
    public static ResolvedQuota resolve(Settings indexSettings, QuotaParameters override, QueryShardContext context) {
        return resolve(
                indexSettings,
                override,
                context.index().getName(),
                (setting, field, index) -> requireKeyword(context, setting, field, index));
    }

    private static String unmappedMessage(String setting, String field, String index) {
        return String.format(
                Locale.ROOT,
                "[%s] names [%s], which is not mapped in index [%s]: no quota applied there; map it as a [keyword] field or change the setting",
                setting,
                field,
                index);
    }

    /** The index's own quota (no request override), parsed once per settings object; the field check stays per request. */
    private static final ParsedCache<Settings, ResolvedQuota> CONFIGURED = new ParsedCache<>(256);

    public static ResolvedQuota resolve(
            Settings indexSettings, QuotaParameters override, String index, FieldCheck fields) {
        ResolvedQuota configured;
        if (override != null && override.isEmpty() == false) {
            if (FairRescoreSettings.ALLOW_REQUEST_OVERRIDE.get(indexSettings) == false) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "[%s][quota] sets %s but index [%s] does not allow request overrides: an admin must set [%s] to true, or drop [quota]",
                        QuotaParameters.CLAUSE,
                        override.setFields(),
                        index,
                        FairRescoreSettings.ALLOW_REQUEST_OVERRIDE.getKey()));
            }
            configured = configured(override.applyTo(indexSettings), index);
        } else {
            configured = CONFIGURED.get(indexSettings, settings -> configured(settings, index));
        }
        if (configured.shopField == null && configured.protectedField == null && configured.groupField == null) {
            return configured;
        }
        boolean shopMapped = configured.shopField == null
                || fields.check(FairRescoreSettings.SHOP_FIELD.getKey(), configured.shopField, index);
        boolean protectedMapped = configured.protectedField == null
                || fields.check(FairRescoreSettings.PROTECTED_FIELD.getKey(), configured.protectedField, index);
        boolean groupMapped = configured.groupField == null
                || fields.check(FairRescoreSettings.GROUP_FIELD.getKey(), configured.groupField, index);
        if (shopMapped && protectedMapped && groupMapped) {
            return configured;
        }
        // the rules whose field is not mapped here are dropped (an index re-created without the field behind an alias
        // that still spans the old one); the search goes on, explain tells why
        List<String> why = new ArrayList<>();
        if (shopMapped == false) {
            why.add(unmappedMessage(FairRescoreSettings.SHOP_FIELD.getKey(), configured.shopField, index));
        }
        if (protectedMapped == false) {
            why.add(unmappedMessage(FairRescoreSettings.PROTECTED_FIELD.getKey(), configured.protectedField, index));
        }
        if (groupMapped == false) {
            why.add(unmappedMessage(FairRescoreSettings.GROUP_FIELD.getKey(), configured.groupField, index));
        }
        List<QuotaPolicy> kept = new ArrayList<>();
        for (QuotaPolicy rule : rules(configured.policy)) {
            boolean mapped = switch (rule) {
                case ShopCap c -> shopMapped;
                case ExposureShare e -> shopMapped;
                case FairTopK f -> protectedMapped;
                case GroupFairTopK g -> groupMapped;
                default -> true;
            };
            if (mapped) {
                kept.add(rule);
            }
        }
        QuotaPolicy policy =
                kept.isEmpty() ? QuotaPolicy.None.INSTANCE : kept.size() == 1 ? kept.get(0) : new Rules(kept);
        return new ResolvedQuota(
                policy,
                shopMapped ? configured.shopField : null,
                protectedMapped ? configured.protectedField : null,
                protectedMapped ? configured.protectedValue : null,
                groupMapped ? configured.groupField : null,
                String.join("; ", why));
    }

    /** The rules of a policy: its own list for {@link Rules}, none for {@link QuotaPolicy.None}, else itself. */
    public static List<QuotaPolicy> rules(QuotaPolicy policy) {
        return switch (policy) {
            case QuotaPolicy.None none -> List.of();
            case Rules rules -> rules.rules();
            default -> List.of(policy);
        };
    }

    /** True when the policy needs the one placement procedure (several rules, or the multi-group minimums). */
    public boolean composite() {
        return policy instanceof Rules || policy instanceof GroupFairTopK;
    }

    /** The quota {@code effective} settings configure, before its keyword fields are checked against the mapping. */
    private static ResolvedQuota configured(Settings effective, String index) {
        List<String> modes = FairRescoreSettings.MODE.get(effective);
        if (modes.size() == 1) {
            return single(modes.get(0), effective, index);
        }
        // several rules: each as it would be alone, held together by one placement
        List<QuotaPolicy> rules = new ArrayList<>();
        String shopField = null;
        String protectedField = null;
        String protectedValue = null;
        String groupField = null;
        for (String mode : modes) {
            ResolvedQuota one = single(mode, effective, index);
            if (one.policy.isActive() == false) {
                continue; // e.g. cap with max_per_shop 0, or no shop field: that rule is off
            }
            rules.add(one.policy);
            shopField = one.shopField != null ? one.shopField : shopField;
            protectedField = one.protectedField != null ? one.protectedField : protectedField;
            protectedValue = one.protectedValue != null ? one.protectedValue : protectedValue;
            groupField = one.groupField != null ? one.groupField : groupField;
        }
        QuotaPolicy policy = Rules.of(rules);
        return new ResolvedQuota(policy, shopField, protectedField, protectedValue, groupField, null);
    }

    /** One rule, exactly as a {@code mode} of that single value configures it. */
    private static ResolvedQuota single(String mode, Settings effective, String index) {
        String shopField = FairRescoreSettings.SHOP_FIELD.get(effective);
        switch (mode) {
            case "none":
                return new ResolvedQuota(QuotaPolicy.None.INSTANCE, null, null, null);
            case "cap":
            case "share": {
                if (shopField.isEmpty()) {
                    return new ResolvedQuota(QuotaPolicy.None.INSTANCE, null, null, null); // no shop field: quotas off
                }
                QuotaPolicy policy = mode.equals("cap")
                        ? new ShopCap(
                                FairRescoreSettings.MAX_PER_SHOP.get(effective),
                                FairRescoreSettings.CAP_WINDOW.get(effective))
                        : new ExposureShare(
                                FairRescoreSettings.MAX_SHARE.get(effective),
                                FairRescoreSettings.SHARE_MIN_PREFIX.get(effective));
                return new ResolvedQuota(policy, shopField, null, null);
            }
            case "fair_topk": {
                String field = FairRescoreSettings.PROTECTED_FIELD.get(effective);
                String value = FairRescoreSettings.PROTECTED_VALUE.get(effective);
                if (field.isEmpty() || value.isEmpty()) {
                    throw new IllegalArgumentException(String.format(
                            Locale.ROOT,
                            "[%s] is [fair_topk] in index [%s] but [%s] and [%s] are not both set: name the keyword field and the value that mark protected documents",
                            FairRescoreSettings.MODE.getKey(),
                            index,
                            FairRescoreSettings.PROTECTED_FIELD.getKey(),
                            FairRescoreSettings.PROTECTED_VALUE.getKey()));
                }
                FairTopK policy = new FairTopK(
                        FairRescoreSettings.PROTECTED_SHARE.get(effective), FairRescoreSettings.ALPHA.get(effective));
                return new ResolvedQuota(policy, null, field, value);
            }
            case "group_fair_topk": {
                String field = FairRescoreSettings.GROUP_FIELD.get(effective);
                Map<String, Double> minimums = new TreeMap<>(FairRescoreSettings.GROUP_MINIMUMS.getAsMap(effective));
                if (field.isEmpty() || minimums.isEmpty()) {
                    throw new IllegalArgumentException(String.format(
                            Locale.ROOT,
                            "[%s] holds [group_fair_topk] in index [%s] but [%s] is not set or no [%s<group>] is: name the keyword field and the minimum share of each protected group",
                            FairRescoreSettings.MODE.getKey(),
                            index,
                            FairRescoreSettings.GROUP_FIELD.getKey(),
                            FairRescoreSettings.GROUP_MINIMUMS.getKey()));
                }
                return new ResolvedQuota(
                        groupPolicy(minimums, FairRescoreSettings.ALPHA.get(effective), index),
                        null,
                        null,
                        null,
                        field,
                        null);
            }
            default:
                throw new IllegalArgumentException(
                        "[" + FairRescoreSettings.MODE.getKey() + "] unknown mode [" + mode + "]");
        }
    }

    /** The multi-group minimums, their count and sum checked with a message naming the settings (a 400). */
    static GroupFairTopK groupPolicy(Map<String, Double> minimums, double alpha, String index) {
        String key = FairRescoreSettings.GROUP_MINIMUMS.getKey();
        if (minimums.size() > FairRescoreSettings.MAX_GROUPS) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "[%s<group>] sets %d groups %s in index [%s]; at most %d are allowed",
                    key,
                    minimums.size(),
                    minimums.keySet(),
                    index,
                    FairRescoreSettings.MAX_GROUPS));
        }
        List<String> groups = new ArrayList<>(minimums.keySet());
        double[] proportions = new double[groups.size()];
        for (int g = 0; g < proportions.length; g++) {
            proportions[g] = minimums.get(groups.get(g));
        }
        try {
            return new GroupFairTopK(groups, proportions, alpha);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "[%s<group>] in index [%s]: %s", key, index, e.getMessage()), e);
        }
    }

    /** The keyword field the policy reads per hit (shop, protected mark or group) when it reads one, else null. */
    public String field() {
        return shopField != null ? shopField : protectedField != null ? protectedField : groupField;
    }

    /** Every keyword field the policy reads per hit, each once. */
    public List<String> fields() {
        List<String> out = new ArrayList<>(3);
        for (String f : new String[] {shopField, protectedField, groupField}) {
            if (f != null && out.contains(f) == false) {
                out.add(f);
            }
        }
        return out;
    }

    /** True for a keyword field with doc values, false when the field is not mapped; a 400 for any other field. */
    public static boolean requireKeyword(QueryShardContext context, String setting, String field, String index) {
        MappedFieldType type = context.fieldMapper(field);
        if (type == null) {
            return false;
        }
        if ("keyword".equals(type.typeName()) == false || type.hasDocValues() == false) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "[%s] names [%s], a [%s] field%s in index [%s]; it must be a [keyword] field with doc values",
                    setting,
                    field,
                    type.typeName(),
                    type.hasDocValues() ? "" : " without doc values",
                    index));
        }
        return true;
    }
}
