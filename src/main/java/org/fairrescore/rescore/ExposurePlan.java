package org.fairrescore.rescore;

import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.settings.ExposureSettings;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.index.query.QueryShardContext;

import java.util.Locale;

/**
 * The amortized exposure mode of one search on one shard: the index's ledger (by UUID) and settings, the shop field
 * checked against the shard's mapping, and the share of one search's merit this shard's window hands out (one search
 * brings its index merit 1 in all, split evenly among the index's shards).
 *
 * @param shopField the keyword field naming each hit's shop, or null when it is not mapped here (then nothing is
 *                  boosted or recorded on this shard, and {@code unapplied} says why)
 */
record ExposurePlan(String index, ExposureSettings settings, String shopField, double meritShare, String unapplied) {

    /** The plan of {@code context}'s index; null when its exposure mode is off or it names no shop field. */
    static ExposurePlan resolve(QueryShardContext context) {
        ExposureSettings settings =
                ExposureSettings.of(context.getIndexSettings().getSettings());
        if (settings.active() == false) {
            return null;
        }
        String setting = FairRescoreSettings.SHOP_FIELD.getKey();
        String index = context.index().getName();
        boolean mapped = ResolvedQuota.requireKeyword(context, setting, settings.shopField(), index);
        int shards = Math.max(1, context.getIndexSettings().getNumberOfShards());
        return new ExposurePlan(
                context.index().getUUID(),
                settings,
                mapped ? settings.shopField() : null,
                1.0 / shards,
                mapped
                        ? null
                        : String.format(
                                Locale.ROOT,
                                "[%s] names [%s], which is not mapped in index [%s]: no exposure boost or merit here",
                                setting,
                                settings.shopField(),
                                index));
    }
}
