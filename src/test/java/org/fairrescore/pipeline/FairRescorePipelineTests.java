package org.fairrescore.pipeline;

import org.fairrescore.fairness.GroupFairTopK;
import org.fairrescore.fairness.MTableCache;
import org.fairrescore.fairness.MultinomialMTable;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.fairness.Rules;
import org.fairrescore.fairness.ShopCap;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.opensearch.common.document.DocumentField;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The response processor's reorder of the merged hits under several rules at once (exact across shards). */
public class FairRescorePipelineTests extends OpenSearchTestCase {

    private final QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(16));
    private final FairRescoreStats stats = new FairRescoreStats();
    private final FairRescorePipeline pipeline = new FairRescorePipeline(() -> null, () -> null, reorderer, stats);

    private static SearchHit hit(int doc, float score, String shop, String tier) {
        Map<String, DocumentField> fields = new HashMap<>();
        fields.put("shop", new DocumentField("shop", List.of(shop)));
        if (tier != null) {
            fields.put("tier", new DocumentField("tier", List.of(tier)));
        }
        SearchHit hit = new SearchHit(doc, "d" + doc, fields, Map.of());
        hit.score(score);
        return hit;
    }

    public void testSeveralRulesHoldOverTheMergedHitsAtEveryPrefix() {
        // three shards' windows merged: shop "big" holds the best scores, the tail tier sits low
        int n = 40;
        SearchHit[] merged = new SearchHit[n + 5];
        Map<String, String> shopOf = new HashMap<>();
        Map<String, String> tierOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String shop = i < 8 ? "big" : "s" + (i % 8); // "big" holds the 8 best
            String tier = i >= 30 ? "tail" : i >= 20 ? "mid" : "head";
            merged[i] = hit(i, 1.9f - i * 0.02f, shop, tier);
            shopOf.put("d" + i, shop);
            tierOf.put("d" + i, tier);
        }
        for (int i = n; i < merged.length; i++) { // below the window: kept below, in order
            merged[i] = hit(i, 0.5f - (i - n) * 0.01f, "big", null);
        }
        GroupFairTopK groups = new GroupFairTopK(List.of("mid", "tail"), new double[] {0.2, 0.2}, 0.1);
        ShopCap cap = new ShopCap(2, 5);
        QuotaPolicy rules = new Rules(List.of(cap, groups));
        ResolvedQuota quota = new ResolvedQuota(rules, "shop", null, null, "tier", null);
        assertEquals(List.of("shop", "tier"), quota.fields());
        SearchHit[] page = pipeline.reorder(merged, new FairRescorePipeline.State(quota, 0, merged.length, List.of()));
        assertEquals(merged.length, page.length);

        List<String> shops = new ArrayList<>();
        List<String> tiers = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            shops.add(shopOf.get(page[p].getId()));
            tiers.add(tierOf.get(page[p].getId()));
            if (p > 0) {
                assertTrue("scores strictly decrease at " + p, page[p].getScore() < page[p - 1].getScore());
            }
            assertTrue(page[p].getScore() >= 1f);
        }
        for (int p = n; p < merged.length; p++) {
            assertSame(merged[p], page[p]);
        }
        // the cap: at most 2 of a shop in any 5 consecutive positions
        for (int p = 0; p < n; p++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int q = Math.max(0, p - 4); q <= p; q++) {
                counts.merge(shops.get(q), 1, Integer::sum);
            }
            assertTrue("cap at " + p + " " + counts, counts.values().stream().allMatch(c -> c <= 2));
        }
        // the minimums of each group, at every prefix
        MultinomialMTable table = reorderer.mtable(n, groups);
        int[] seen = new int[2];
        for (int p = 0; p < n; p++) {
            int g = groups.groups().indexOf(tiers.get(p));
            if (g >= 0) {
                seen[g]++;
            }
            for (int k = 0; k < 2; k++) {
                assertTrue("group " + k + " at prefix " + (p + 1), seen[k] >= table.minimums()[k][p]);
            }
        }
        NodeStats.QuotaCounts counts = stats.snapshot().pipelineQuota().get("[group_fair_topk,cap]");
        assertEquals(1, counts.windows());
        assertEquals(0, counts.gaveWay());
        assertTrue(counts.moved() > 0);
    }

    public void testASingleRuleKeepsItsOwnReorderer() {
        SearchHit[] merged = new SearchHit[6];
        for (int i = 0; i < merged.length; i++) {
            merged[i] = hit(i, 1.9f - i * 0.1f, i < 4 ? "big" : "small", null);
        }
        ResolvedQuota quota = new ResolvedQuota(new ShopCap(1, 2), "shop", null, null);
        SearchHit[] page = pipeline.reorder(merged, new FairRescorePipeline.State(quota, 0, 3, List.of()));
        assertEquals(List.of("d0", "d4", "d1"), List.of(page[0].getId(), page[1].getId(), page[2].getId()));
    }
}
