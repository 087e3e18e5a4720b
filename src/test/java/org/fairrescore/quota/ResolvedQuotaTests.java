package org.fairrescore.quota;

import org.fairrescore.fairness.ExposureShare;
import org.fairrescore.fairness.FairTopK;
import org.fairrescore.fairness.GroupFairTopK;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.Rules;
import org.fairrescore.fairness.ShopCap;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

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

    private static ResolvedQuota mapped(Settings settings) {
        return ResolvedQuota.resolve(settings, null, "products", (setting, field, index) -> true);
    }

    public void testASingleStringKeepsItsOwnRuleAndAListHoldsSeveral() {
        // a single string: that rule alone, not wrapped (its own reorderer, exactly as before)
        assertEquals(new ShopCap(2, 5), mapped(CAPPED).policy());
        assertFalse(mapped(CAPPED).composite());
        Settings list = Settings.builder()
                .put(CAPPED)
                .putList("index.fair_rescore.mode", "share", "cap")
                .put("index.fair_rescore.max_share", 0.4)
                .build();
        ResolvedQuota both = mapped(list);
        assertEquals(new Rules(List.of(new ShopCap(2, 5), new ExposureShare(0.4, 5))), both.policy());
        assertEquals("[cap,share]", both.policy().mode());
        assertTrue(both.composite());
        assertEquals("shop", both.shopField());
        // a comma-separated string is a list too
        Settings commas = Settings.builder()
                .put(CAPPED)
                .put("index.fair_rescore.mode", "cap,share")
                .put("index.fair_rescore.max_share", 0.4)
                .build();
        assertEquals(both.policy(), mapped(commas).policy());
        // a rule that is off (max_per_shop 0) leaves the other alone
        Settings capOff = Settings.builder()
                .put(list)
                .put("index.fair_rescore.max_per_shop", 0)
                .build();
        assertEquals(new ExposureShare(0.4, 5), mapped(capOff).policy());
    }

    public void testGroupMinimumsAndTheirFields() {
        Settings groups = Settings.builder()
                .put(CAPPED)
                .putList("index.fair_rescore.mode", "cap", "group_fair_topk", "fair_topk")
                .put("index.fair_rescore.groups.field", "tier")
                .put("index.fair_rescore.groups.minimums.tail", 0.3)
                .put("index.fair_rescore.groups.minimums.mid", 0.2)
                .put("index.fair_rescore.protected_field", "region")
                .put("index.fair_rescore.protected_value", "eu")
                .build();
        ResolvedQuota quota = mapped(groups);
        assertEquals(
                new Rules(List.of(
                        new ShopCap(2, 5),
                        new FairTopK(0.2, 0.1),
                        new GroupFairTopK(List.of("mid", "tail"), new double[] {0.2, 0.3}, 0.1))),
                quota.policy());
        assertEquals("[fair_topk,group_fair_topk,cap]", quota.policy().mode());
        assertEquals(List.of("shop", "region", "tier"), quota.fields());
        assertEquals("tier", quota.groupField());

        // the groups field not mapped on this shard: only the rule reading it is dropped, and explain says why
        ResolvedQuota partly = ResolvedQuota.resolve(
                groups, null, "products", (setting, field, index) -> field.equals("tier") == false);
        assertEquals(new Rules(List.of(new ShopCap(2, 5), new FairTopK(0.2, 0.1))), partly.policy());
        assertNull(partly.groupField());
        assertTrue(partly.unapplied(), partly.unapplied().contains("[index.fair_rescore.groups.field] names [tier]"));

        // the clause's minimums replace the index's
        Settings overridable = Settings.builder()
                .put(groups)
                .put("index.fair_rescore.allow_request_override", true)
                .build();
        ResolvedQuota overridden = ResolvedQuota.resolve(
                overridable,
                new QuotaParameters().mode("group_fair_topk").groupMinimums(java.util.Map.of("low", 0.25)),
                "products",
                (setting, field, index) -> true);
        assertEquals(new GroupFairTopK(List.of("low"), new double[] {0.25}, 0.1), overridden.policy());
        assertTrue(overridden.composite());
    }

    public void testGroupMinimumsOutOfRangeAreRefusedNamingTheSetting() {
        Settings base = Settings.builder()
                .put(CAPPED)
                .put("index.fair_rescore.mode", "group_fair_topk")
                .put("index.fair_rescore.groups.field", "tier")
                .build();
        IllegalArgumentException missing = expectThrows(IllegalArgumentException.class, () -> mapped(base));
        assertTrue(missing.getMessage(), missing.getMessage().contains("index.fair_rescore.groups.minimums."));
        Settings sum = Settings.builder()
                .put(base)
                .put("index.fair_rescore.groups.minimums.tail", 0.6)
                .put("index.fair_rescore.groups.minimums.mid", 0.5)
                .build();
        IllegalArgumentException tooMuch = expectThrows(IllegalArgumentException.class, () -> mapped(sum));
        assertTrue(tooMuch.getMessage(), tooMuch.getMessage().contains("index.fair_rescore.groups.minimums."));
        assertTrue(tooMuch.getMessage(), tooMuch.getMessage().contains("sum to less than 1"));
        Settings four = Settings.builder()
                .put(base)
                .put("index.fair_rescore.groups.minimums.a", 0.1)
                .put("index.fair_rescore.groups.minimums.b", 0.1)
                .put("index.fair_rescore.groups.minimums.c", 0.1)
                .put("index.fair_rescore.groups.minimums.d", 0.1)
                .build();
        IllegalArgumentException many = expectThrows(IllegalArgumentException.class, () -> mapped(four));
        assertTrue(many.getMessage(), many.getMessage().contains("at most 3"));
        Settings noField = Settings.builder()
                .put(CAPPED)
                .put("index.fair_rescore.mode", "group_fair_topk")
                .put("index.fair_rescore.groups.minimums.tail", 0.3)
                .build();
        IllegalArgumentException field = expectThrows(IllegalArgumentException.class, () -> mapped(noField));
        assertTrue(field.getMessage(), field.getMessage().contains("index.fair_rescore.groups.field"));
    }
}
