package org.fairrescore.quota;

import org.fairrescore.fairness.ExposureShare;
import org.fairrescore.fairness.FairTopK;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.ShopCap;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.settings.ParsedCache;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryShardContext;

import java.util.Locale;

/**
 * The quota of one search on one shard: the index's {@code index.fair_rescore.*} settings, with the clause's
 * {@code quota} overrides laid over them where the index allows it, turned into a {@link QuotaPolicy} and the keyword
 * fields it reads.
 *
 * @param policy         the policy to apply
 * @param shopField      keyword field naming each hit's shop ({@code cap}, {@code share}), else null
 * @param protectedField keyword field marking protected hits ({@code fair_topk}), else null
 * @param protectedValue the value of {@code protectedField} that marks a protected hit
 * @param unapplied      why the index's quota is not applied on this shard (its field is not mapped here), or null
 */
public record ResolvedQuota(
        QuotaPolicy policy, String shopField, String protectedField, String protectedValue, String unapplied) {

    public ResolvedQuota(QuotaPolicy policy, String shopField, String protectedField, String protectedValue) {
        this(policy, shopField, protectedField, protectedValue, null);
    }

    /**
     * Checks that a setting names a usable keyword field; shards check the mapping, the coordinator cannot.
     * Returns false when the field is not mapped in the index (the quota is then not applied there).
     */
    @FunctionalInterface
    public interface FieldCheck {
        boolean check(String setting, String field, String index);
    }

    /** The quota of {@code context}'s index for one search, its keyword field checked against the shard's mapping. */
    public static ResolvedQuota resolve(Settings indexSettings, QuotaParameters override, QueryShardContext context) {
        return resolve(
                indexSettings,
                override,
                context.index().getName(),
                (setting, field, index) -> requireKeyword(context, setting, field, index));
    }

    /**
     * No quota on this shard because the index's quota field is not mapped in it: e.g. an index re-created without
     * the field behind an alias that still spans the old one. The search goes on; explain tells why.
     */
    private static ResolvedQuota unmapped(String setting, String field, String index) {
        return new ResolvedQuota(
                QuotaPolicy.None.INSTANCE,
                null,
                null,
                null,
                String.format(
                        Locale.ROOT,
                        "[%s] names [%s], which is not mapped in index [%s]: no quota applied there; map it as a [keyword] field or change the setting",
                        setting,
                        field,
                        index));
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
        String field = configured.field();
        if (field == null) {
            return configured;
        }
        String setting = configured.shopField() != null
                ? FairRescoreSettings.SHOP_FIELD.getKey()
                : FairRescoreSettings.PROTECTED_FIELD.getKey();
        return fields.check(setting, field, index) ? configured : unmapped(setting, field, index);
    }

    /** The quota {@code effective} settings configure, before its keyword field is checked against the mapping. */
    private static ResolvedQuota configured(Settings effective, String index) {
        String mode = FairRescoreSettings.MODE.get(effective);
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
            default:
                throw new IllegalArgumentException(
                        "[" + FairRescoreSettings.MODE.getKey() + "] unknown mode [" + mode + "]");
        }
    }

    /** The keyword field the policy reads per hit (shop or protected mark), or null. */
    public String field() {
        return shopField != null ? shopField : protectedField;
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
