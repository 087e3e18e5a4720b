package org.fairrescore.quota;

import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.ShopCap;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

public class ResolvedQuotaTests extends OpenSearchTestCase {

    private static final Settings CAPPED = Settings.builder()
            .put("index.fair_rescore.mode", "cap")
            .put("index.fair_rescore.shop_field", "shop")
            .put("index.fair_rescore.max_per_shop", 2)
            .put("index.fair_rescore.cap_window", 5)
            .put("index.fair_rescore.allow_request_override", true)
            .build();

    public void testTheMappingIsCheckedOnEverySearchThoughTheSettingsAreParsedOnce() {
        ResolvedQuota mapped = ResolvedQuota.resolve(CAPPED, null, "products", (setting, field, index) -> true);
        assertEquals(new ShopCap(2, 5), mapped.policy());
        assertEquals("shop", mapped.shopField());
        assertNull(mapped.unapplied());
        assertSame(
                "parsed once for one settings object",
                mapped,
                ResolvedQuota.resolve(CAPPED, null, "products", (setting, field, index) -> true));

        // the same settings, the shop field gone from the mapping (index re-created behind an alias): no quota there
        ResolvedQuota unmapped = ResolvedQuota.resolve(CAPPED, null, "products", (setting, field, index) -> false);
        assertEquals(QuotaPolicy.None.INSTANCE, unmapped.policy());
        assertTrue(
                unmapped.unapplied(),
                unmapped.unapplied()
                        .contains(
                                "[index.fair_rescore.shop_field] names [shop], which is not mapped in index [products]"));
    }

    public void testARequestOverrideAndASettingsUpdateAreSeen() {
        ResolvedQuota overridden = ResolvedQuota.resolve(
                CAPPED, new QuotaParameters().maxPerShop(1), "products", (setting, field, index) -> true);
        assertEquals(new ShopCap(1, 5), overridden.policy());
        assertEquals(
                new ShopCap(2, 5),
                ResolvedQuota.resolve(CAPPED, null, "products", (setting, field, index) -> true)
                        .policy());

        Settings updated = Settings.builder()
                .put(CAPPED)
                .put("index.fair_rescore.max_per_shop", 4)
                .build();
        assertEquals(
                new ShopCap(4, 5),
                ResolvedQuota.resolve(updated, null, "products", (setting, field, index) -> true)
                        .policy());
        Settings off = Settings.builder()
                .put(CAPPED)
                .put("index.fair_rescore.mode", "none")
                .build();
        assertEquals(
                QuotaPolicy.None.INSTANCE,
                ResolvedQuota.resolve(off, null, "products", (setting, field, index) -> {
                            throw new AssertionError("no field to check");
                        })
                        .policy());
    }
}
