package org.fairrescore.pipeline;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.fairrescore.fairness.ExposureShare;
import org.fairrescore.fairness.MTable;
import org.fairrescore.plugin.FairRescoreIntegTestCase;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

/**
 * Two nodes, three shards, documents NOT routed by shop: per-shard enforcement alone lets a big shop's hits meet in
 * the merged top; the {@code fair_rescore} search pipeline makes the cap hold on every query. Also every quota mode
 * through index settings, and request overrides gated by the index.
 */
@OpenSearchIntegTestCase.ClusterScope(
        scope = OpenSearchIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class QuotaAcrossShardsIT extends FairRescoreIntegTestCase {

    private static final String INDEX = "market";
    private static final String[] QUERIES = {
        "running sneakers", "trail shoes for hiking", "leather boots", "kids sandals", "waterproof walking shoes",
        "lightweight trainers", "winter boots", "shoe polish", "comfortable slippers", "basketball shoes"
    };

    private void createCatalog(int shards, Settings.Builder quota) throws Exception {
        Settings.Builder settings = Settings.builder()
                .put("index.number_of_shards", shards)
                .put("index.number_of_replicas", 0)
                .putList("index.fair_rescore.text_fields", "title")
                .put("index.fair_rescore.shop_field", "shop")
                .put("index.fair_rescore.semantic_weight", 0.5)
                .put(quota.build());
        assertAcked(prepareCreate(INDEX)
                .setSettings(settings)
                .setMapping("title", "type=text", "shop", "type=keyword", "tier", "type=keyword"));
        String[] kinds = {
            "running sneakers",
            "hiking boots",
            "leather shoes",
            "kids sandals",
            "slippers",
            "basketball shoes",
            "walking shoes"
        };
        int id = 0;
        StringBuilder bulk = new StringBuilder();
        // megastore lists three copies of the best match for every query, spread over the shards by their ids
        for (int copy = 0; copy < 3; copy++) {
            for (String query : QUERIES) {
                bulk.append(doc(id++, "megastore", "big", "shoes " + query + " deal " + copy));
            }
        }
        for (int s = 0; s < 40; s++) {
            for (int j = 0; j < 2; j++) {
                bulk.append(doc(
                        id++,
                        String.format(Locale.ROOT, "shop-%02d", s),
                        "small",
                        kinds[(s + j) % kinds.length] + " shoes handmade " + j));
            }
        }
        Request request = new Request("POST", "/" + INDEX + "/_bulk?refresh=true");
        request.setJsonEntity(bulk.toString());
        Response response = getRestClient().performRequest(request);
        assertFalse(EntityUtils.toString(response.getEntity()).contains("\"errors\":true"));
        ensureGreen(INDEX);
    }

    private static String doc(int id, String shop, String tier, String title) {
        return "{\"index\":{\"_id\":\"" + id + "\"}}\n{\"title\":\"" + title + "\",\"shop\":\"" + shop
                + "\",\"tier\":\"" + tier + "\"}\n";
    }

    private void putPipeline() throws Exception {
        Request request = new Request("PUT", "/_search/pipeline/fair");
        request.setJsonEntity(
                "{\"request_processors\":[{\"fair_rescore\":{\"oversample\":3}}],\"response_processors\":[{\"fair_rescore\":{}}]}");
        getRestClient().performRequest(request);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> search(String queryText, int size, String pipeline, String quota)
            throws Exception {
        Request request = new Request(
                "POST", "/" + INDEX + "/_search" + (pipeline == null ? "" : "?search_pipeline=" + pipeline));
        request.setJsonEntity(
                "{\"query\":{\"match\":{\"title\":\"shoes\"}},\"size\":" + size + ",\"_source\":[\"shop\",\"tier\"],"
                        + "\"rescore\":{\"window_size\":100,\"fair_semantic\":{\"query_text\":\"" + queryText + "\""
                        + (quota == null ? "" : ",\"quota\":" + quota) + "}}}");
        Response response = getRestClient().performRequest(request);
        Map<String, Object> body = XContentHelper.convertToMap(
                JsonXContent.jsonXContent, EntityUtils.toString(response.getEntity()), false);
        Map<String, Object> hits = (Map<String, Object>) body.get("hits");
        assertEquals(0, ((Map<String, Object>) body.get("_shards")).get("failed"));
        return (List<Map<String, Object>>) hits.get("hits");
    }

    @SuppressWarnings("unchecked")
    private static String field(Map<String, Object> hit, String name) {
        return (String) ((Map<String, Object>) hit.get("_source")).get(name);
    }

    private static int firstCapBreak(List<Map<String, Object>> hits, int maxPerShop, int window) {
        for (int p = 0; p < hits.size(); p++) {
            int same = 0;
            for (int q = Math.max(0, p - window + 1); q < p; q++) {
                same += field(hits.get(q), "shop").equals(field(hits.get(p), "shop")) ? 1 : 0;
            }
            if (same >= maxPerShop) {
                return p;
            }
        }
        return -1;
    }

    public void testPipelineMakesTheCapExactAcrossShards() throws Exception {
        createCatalog(
                3,
                Settings.builder().put("index.fair_rescore.max_per_shop", 1).put("index.fair_rescore.cap_window", 4));
        putPipeline();
        int brokenWithoutPipeline = 0;
        for (String query : QUERIES) {
            if (firstCapBreak(search(query, 20, null, null), 1, 4) >= 0) {
                brokenWithoutPipeline++;
            }
        }
        for (int round = 0; round < 8; round++) {
            String query = randomFrom(QUERIES);
            int size = randomIntBetween(8, 20);
            List<Map<String, Object>> exact = search(query, size, "fair", null);
            assertEquals(size, exact.size());
            assertEquals("query [" + query + "] size " + size, -1, firstCapBreak(exact, 1, 4));
            for (int p = 1; p < exact.size(); p++) {
                assertTrue(((Number) exact.get(p).get("_score")).floatValue()
                        < ((Number) exact.get(p - 1).get("_score")).floatValue());
            }
        }
        assertTrue("per-shard enforcement alone must break the cap on some query", brokenWithoutPipeline > 0);
    }

    public void testEveryModeThroughIndexSettings() throws Exception {
        // share: every prefix from 5 on keeps each shop under 35 % of the exposure (position 1 alone holds 1/2.95 =
        // 33.9 % of a 5-prefix, so a ceiling under that cannot be met there, and explain says so)
        createCatalog(
                1,
                Settings.builder().put("index.fair_rescore.mode", "share").put("index.fair_rescore.max_share", 0.35));
        List<Map<String, Object>> hits = search("running sneakers", 30, null, null);
        Map<String, Double> exposure = new HashMap<>();
        double total = 0;
        for (int p = 0; p < hits.size(); p++) {
            double w = ExposureShare.weight(p + 1);
            total += w;
            exposure.merge(field(hits.get(p), "shop"), w, Double::sum);
            if (p + 1 >= 5) {
                for (Map.Entry<String, Double> e : exposure.entrySet()) {
                    assertTrue("prefix " + (p + 1) + " shop " + e.getKey(), e.getValue() / total <= 0.35 + 1e-9);
                }
            }
        }

        // fair_topk: "small" hits meet the adjusted m-table on every prefix
        client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder()
                        .put("index.fair_rescore.mode", "fair_topk")
                        .put("index.fair_rescore.protected_field", "tier")
                        .put("index.fair_rescore.protected_value", "big")
                        .put("index.fair_rescore.protected_share", 0.5)
                        .put("index.fair_rescore.alpha", 0.1))
                .get();
        hits = search("handmade kids sandals", 40, null, null);
        int[] m = MTable.adjusted(100, 0.5, 0.1).minimums();
        int count = 0;
        for (int p = 0; p < hits.size(); p++) {
            count += "big".equals(field(hits.get(p), "tier")) ? 1 : 0;
            assertTrue("prefix " + (p + 1) + " has " + count + " protected, table wants " + m[p], count >= m[p]);
        }

        // fair_topk without a protected field is refused with the setting named
        client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder().putNull("index.fair_rescore.protected_field"))
                .get();
        ResponseException e = expectThrows(ResponseException.class, () -> search("shoes", 10, null, null));
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        assertTrue(EntityUtils.toString(e.getResponse().getEntity()).contains("index.fair_rescore.protected_field"));

        // none: plain blend order, cap off
        client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder().put("index.fair_rescore.mode", "none"))
                .get();
        hits = search("running sneakers", 20, null, null);
        for (int p = 1; p < hits.size(); p++) {
            assertTrue(((Number) hits.get(p).get("_score")).floatValue()
                    < ((Number) hits.get(p - 1).get("_score")).floatValue());
        }

        // an unknown mode is refused on update
        Request update = new Request("PUT", "/" + INDEX + "/_settings");
        update.setJsonEntity("{\"index.fair_rescore.mode\": \"fairest\"}");
        e = expectThrows(ResponseException.class, () -> getRestClient().performRequest(update));
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        assertTrue(EntityUtils.toString(e.getResponse().getEntity()).contains("index.fair_rescore.mode"));
    }

    public void testRequestOverridesNeedTheIndexsConsent() throws Exception {
        createCatalog(
                1,
                Settings.builder().put("index.fair_rescore.max_per_shop", 3).put("index.fair_rescore.cap_window", 4));
        String quota = "{\"max_per_shop\": 1, \"cap_window\": 5}";
        ResponseException e = expectThrows(ResponseException.class, () -> search("running sneakers", 10, null, quota));
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        String body = EntityUtils.toString(e.getResponse().getEntity());
        assertTrue(body, body.contains("index.fair_rescore.allow_request_override"));

        client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder().put("index.fair_rescore.allow_request_override", true))
                .get();
        List<Map<String, Object>> hits = search("running sneakers", 30, null, quota);
        assertEquals(-1, firstCapBreak(hits, 1, 5));
        List<Map<String, Object>> defaults = new ArrayList<>(search("running sneakers", 30, null, null));
        assertTrue("the index's looser cap lets shops cluster more", firstCapBreak(defaults, 1, 5) >= 0);
    }
}
