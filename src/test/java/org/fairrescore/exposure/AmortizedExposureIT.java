package org.fairrescore.exposure;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.fairrescore.action.ExposureGetAction;
import org.fairrescore.plugin.FairRescoreIntegTestCase;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The amortized exposure mode on two nodes over real HTTP: the served ranks are recorded by whichever node coordinates
 * and every node's rescorer reads the merged ledger; a starved shop climbs; explain, stats, sort and size, reset,
 * feedback with per-line errors, {@code local=true} reads one node's view without syncing, a node restart keeps the
 * ledger, deleting the index drops it.
 */
@OpenSearchIntegTestCase.ClusterScope(
        scope = OpenSearchIntegTestCase.Scope.TEST,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class AmortizedExposureIT extends FairRescoreIntegTestCase {

    private static final String SEARCH = "{\"query\": {\"match\": {\"title\": \"lamp\"}}, \"size\": 5, "
            + "\"rescore\": {\"window_size\": 20, \"fair_semantic\": {\"query_text\": \"lamp\", \"semantic_weight\": 0}}}";

    /** The exposure of one page of 5 hits: the position weights of ranks 1 to 5. */
    private static final double PAGE = 1 + 1 / log2(3) + 0.5 + 1 / log2(5) + 1 / log2(6);

    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        // short, from the start: the first syncs run before the node has joined a cluster (that once stopped the
        // periodic sync for good); the tests' reads sync on demand, so no figure depends on timing
        return Settings.builder()
                .put(super.nodeSettings(nodeOrdinal))
                .put(FairRescoreSettings.EXPOSURE_SYNC_INTERVAL.getKey(), "100ms")
                .build();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private void catalog(String extraSettings) throws Exception {
        rest(
                "PUT",
                "/shops",
                "{\"settings\": {\"number_of_shards\": 2, \"number_of_replicas\": 0, "
                        + "\"index.fair_rescore.shop_field\": \"shop\", \"index.fair_rescore.mode\": \"none\", "
                        + "\"index.fair_rescore.exposure.mode\": \"amortized\", \"index.fair_rescore.exposure.strength\": 1, "
                        // a half-life far longer than the test: sums are compared without decay
                        + "\"index.fair_rescore.exposure.half_life\": \"1000d\""
                        + extraSettings + "}, "
                        + "\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, \"shop\": {\"type\": \"keyword\"}}}}");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            bulk.append("{\"index\": {\"_index\": \"shops\", \"_id\": \"big-")
                    .append(i)
                    .append("\"}}\n");
            bulk.append(String.format(Locale.ROOT, "{\"title\": \"lamp lamp lamp %d\", \"shop\": \"big\"}%n", i));
            bulk.append("{\"index\": {\"_index\": \"shops\", \"_id\": \"small-")
                    .append(i)
                    .append("\"}}\n");
            bulk.append(String.format(Locale.ROOT, "{\"title\": \"lamp and shade %d\", \"shop\": \"small\"}%n", i));
        }
        Request request = new Request("POST", "/_bulk?refresh=true");
        request.setJsonEntity(bulk.toString());
        getRestClient().performRequest(request);
        ensureGreen("shops");
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object json, String path) {
        Object o = json;
        for (String key : path.split("\\.")) {
            o = o instanceof List<?> list ? list.get(Integer.parseInt(key)) : ((Map<String, Object>) o).get(key);
        }
        return (T) o;
    }

    private static double number(Object json, String path) {
        return ((Number) at(json, path)).doubleValue();
    }

    private static List<String> shopsOf(Map<String, Object> response) {
        List<Map<String, Object>> hits = at(response, "hits.hits");
        return hits.stream()
                .map(h -> ((String) h.get("_id")).replaceAll("-\\d+", ""))
                .toList();
    }

    private static Map<String, Object> line(Map<String, Object> exposure, String shop) {
        List<Map<String, Object>> shops = at(exposure, "shops");
        return shops.stream()
                .filter(s -> shop.equals(s.get("shop")))
                .findFirst()
                .orElseThrow();
    }

    private static ResponseException failing(String method, String path, String body) {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        return expectThrows(ResponseException.class, () -> getRestClient().performRequest(request));
    }

    private static long statsSum(String path) throws Exception {
        Map<String, Object> stats = rest("GET", "/_plugins/_fair_rescore/stats", null);
        long total = 0;
        for (Object node : ((Map<String, Object>) at(stats, "nodes")).values()) {
            total += ((Number) at(node, path)).longValue();
        }
        return total;
    }

    public void testAStarvedShopClimbsAndTheLedgerIsOneAcrossNodes() throws Exception {
        catalog(", \"index.fair_rescore.exposure.target\": \"uniform\"");
        Map<String, Object> first = rest("POST", "/shops/_search", SEARCH);
        assertEquals("lexical order before any traffic", List.of("big", "big", "big", "big", "big"), shopsOf(first));
        assertNull("the filter took out the shop field it asked for", at(first, "hits.hits.0.fields"));

        Map<String, Object> ledger = rest("GET", "/_plugins/_fair_rescore/exposure/shops", null);
        assertEquals("shops", at(ledger, "index"));
        assertEquals("uniform", at(ledger, "settings.target"));
        assertEquals(PAGE, number(ledger, "totals.exposure"), 1e-6);
        assertEquals("one search's merit, over both shards", 1.0, number(ledger, "totals.merit"), 1e-6);
        assertEquals(2, (int) at(ledger, "totals.shops_with_merit"));
        assertEquals(0.0, number(line(ledger, "small"), "exposure"), 0);
        assertEquals(PAGE / 2, number(line(ledger, "small"), "target"), 1e-6);
        assertEquals(1.0, number(line(ledger, "small"), "deficit"), 0);
        assertEquals(ExposureView.MAX_BOOST, number(line(ledger, "small"), "boost"), 1e-6);
        assertEquals(-ExposureView.MAX_BOOST, number(line(ledger, "big"), "boost"), 1e-6);

        Map<String, Object> second = rest("POST", "/shops/_search", SEARCH);
        assertEquals("the starved shop's hits climb", "small", shopsOf(second).get(0));

        // every search, whichever node coordinated it, is in every node's view
        int searches = 2;
        for (int i = 0; i < 6; i++) {
            rest("POST", "/shops/_search", SEARCH);
            searches++;
        }
        Map<String, Object> after = rest("GET", "/_plugins/_fair_rescore/exposure/shops", null);
        assertEquals(searches * PAGE, number(after, "totals.exposure"), 1e-6);
        assertEquals(searches, number(after, "totals.merit"), 1e-4);
        double small = number(line(after, "small"), "exposure") / number(after, "totals.exposure");
        assertTrue("the small shop's share moved toward half: " + small, small > 0.3);
        assertTrue(statsSum("exposure.served_searches") >= searches);
        assertTrue(statsSum("exposure.boosted_up") > 0);
        assertTrue(statsSum("exposure.boosted_down") > 0);
        assertEquals(2, statsSum("exposure.ledger_indices") / 2 * 2);

        Map<String, Object> explained =
                rest("POST", "/shops/_search", SEARCH.replace("\"size\": 5,", "\"size\": 1, \"explain\": true,"));
        String explanation = at(explained, "hits.hits.0._explanation").toString();
        assertTrue(explanation, explanation.contains("exposure boost (amortized over the traffic): shop ["));
        assertTrue(explanation, explanation.contains("an equal share among 2 shops"));

        Map<String, Object> sorted = rest("GET", "/_plugins/_fair_rescore/exposure/shops?size=1&sort=shop:asc", null);
        assertEquals(1, ((List<?>) at(sorted, "shops")).size());
        assertEquals("big", at(sorted, "shops.0.shop"));
        assertEquals(
                "small",
                at(rest("GET", "/_plugins/_fair_rescore/exposure/shops?sort=shop:desc", null), "shops.0.shop"));

        Map<String, Object> reset = rest("DELETE", "/_plugins/_fair_rescore/exposure/shops", null);
        assertEquals(true, at(reset, "acknowledged"));
        assertEquals(2, (int) at(reset, "reset_nodes"));
        Map<String, Object> empty = rest("GET", "/_plugins/_fair_rescore/exposure/shops", null);
        assertEquals(0.0, number(empty, "totals.exposure"), 0);
        assertEquals(List.of(), at(empty, "shops"));
    }

    public void testTheViewIsRebuiltEverySyncIntervalWithoutAnyRead() throws Exception {
        catalog(", \"index.fair_rescore.exposure.target\": \"uniform\"");
        long before = statsSum("exposure.syncs");
        assertEquals(List.of("big", "big", "big", "big", "big"), shopsOf(rest("POST", "/shops/_search", SEARCH)));
        // no GET: only the periodic sync can bring the first search's exposure to the shards
        assertBusy(() -> assertEquals(
                "small", shopsOf(rest("POST", "/shops/_search", SEARCH)).get(0)));
        assertBusy(() -> assertTrue(statsSum("exposure.syncs") >= before + 4)); // two nodes, two rounds each
        assertEquals(0, statsSum("exposure.sync_failures"));
    }

    public void testBadRequestsNameTheField() throws Exception {
        catalog("");
        ResponseException e = failing("GET", "/_plugins/_fair_rescore/exposure/shops?sort=colour", null);
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        assertTrue(EntityUtils.toString(e.getResponse().getEntity()).contains("[sort] must be one of"));
        e = failing("GET", "/_plugins/_fair_rescore/exposure/shops?size=-1", null);
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        assertTrue(EntityUtils.toString(e.getResponse().getEntity()).contains("[size]"));
        e = failing("GET", "/_plugins/_fair_rescore/exposure/nowhere", null);
        assertEquals(404, e.getResponse().getStatusLine().getStatusCode());
        e = failing(
                "POST",
                "/_plugins/_fair_rescore/exposure/shops/_feedback",
                "{\"impression\": {\"shop\": \"a\", \"rank\": 1}}\n");
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        assertTrue(EntityUtils.toString(e.getResponse().getEntity()).contains("index.fair_rescore.exposure.source"));
        e = failing("PUT", "/shops/_settings", "{\"index.fair_rescore.exposure.mode\": \"sometimes\"}");
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        assertTrue(EntityUtils.toString(e.getResponse().getEntity()).contains("index.fair_rescore.exposure.mode"));
        e = failing("PUT", "/shops/_settings", "{\"index.fair_rescore.exposure.strength\": 1.5}");
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
    }

    public void testFeedbackCountsRenderedImpressionsAndDebiasedClicks() throws Exception {
        catalog(", \"index.fair_rescore.exposure.source\": \"feedback\"");
        rest("POST", "/shops/_search", SEARCH);
        Map<String, Object> served = rest("GET", "/_plugins/_fair_rescore/exposure/shops", null);
        assertEquals("served ranks are not counted with source: feedback", 0.0, number(served, "totals.exposure"), 0);
        assertEquals("the windows' merit is", 1.0, number(served, "totals.merit"), 1e-6);

        Request feedback = new Request("POST", "/_plugins/_fair_rescore/exposure/shops/_feedback");
        feedback.setJsonEntity("{\"impression\": {\"shop\": \"small\", \"rank\": 1}}\n"
                + "{\"impression\": {\"shop\": \"small\", \"rank\": 0}}\n"
                + "not json\n"
                + "\n"
                + "{\"click\": {\"shop\": \"small\", \"rank\": 3}}\n"
                + "{\"view\": {\"shop\": \"small\", \"rank\": 3}}\n");
        Map<String, Object> answer = XContentHelper.convertToMap(
                JsonXContent.jsonXContent,
                EntityUtils.toString(getRestClient().performRequest(feedback).getEntity()),
                true);
        assertEquals(true, at(answer, "errors"));
        assertEquals(5, ((List<?>) at(answer, "items")).size());
        assertEquals(200, (int) at(answer, "items.0.impression.status"));
        assertEquals(400, (int) at(answer, "items.1.impression.status"));
        assertTrue(at(answer, "items.1.impression.error.reason").toString().contains("[impression.rank]"));
        assertTrue(at(answer, "items.2.unknown.error.reason").toString().contains("line 3"));
        assertEquals(200, (int) at(answer, "items.3.click.status"));
        assertTrue(at(answer, "items.4.unknown.error.reason").toString().contains("unknown event [view]"));

        Map<String, Object> ledger = rest("GET", "/_plugins/_fair_rescore/exposure/shops", null);
        assertEquals(1.0, number(line(ledger, "small"), "exposure"), 1e-6);
        assertEquals(2.0, number(ledger, "totals.merit") - 1.0, 1e-6); // a click at rank 3: log2(4) searches' merit
        assertEquals(2, statsSum("exposure.feedback_impressions") + statsSum("exposure.feedback_clicks"));
        assertEquals(3, statsSum("exposure.feedback_rejected"));
    }

    private static double totalExposure() {
        ExposureGetAction.Response response = client().execute(
                        ExposureGetAction.INSTANCE, new ExposureGetAction.Request("shops", 0, null))
                .actionGet();
        return response.totalExposure();
    }

    private static double localExposure(String node) {
        return internalCluster()
                .client(node)
                .execute(ExposureGetAction.INSTANCE, new ExposureGetAction.Request("shops", 0, null, true))
                .actionGet()
                .totalExposure();
    }

    public void testLocalReadsEachNodesViewWithoutSyncing() throws Exception {
        // no scheduled sync within the test: the interval (100 ms for the other tests) goes to 1h, and a sync that was
        // already running when it changed has ended before the search
        setSyncInterval("1h");
        try {
            Thread.sleep(500);
            readsLocalViews();
        } finally {
            setSyncInterval(null);
        }
    }

    private void setSyncInterval(String interval) {
        Settings.Builder settings = Settings.builder();
        if (interval == null) {
            settings.putNull(FairRescoreSettings.EXPOSURE_SYNC_INTERVAL.getKey());
        } else {
            settings.put(FairRescoreSettings.EXPOSURE_SYNC_INTERVAL.getKey(), interval);
        }
        client().admin()
                .cluster()
                .prepareUpdateSettings()
                .setTransientSettings(settings)
                .get();
    }

    private void readsLocalViews() throws Exception {
        catalog("");
        rest("POST", "/shops/_search", SEARCH);
        String[] nodes = internalCluster().getNodeNames();
        // the coordinator recorded the search in its own ledger, but no node has rebuilt its view since
        for (String node : nodes) {
            assertEquals(node + " before any sync", 0.0, localExposure(node), 0);
        }
        assertEquals(
                0.0,
                number(rest("GET", "/_plugins/_fair_rescore/exposure/shops?local=true", null), "totals.exposure"),
                0);

        // a GET without local syncs the node that answers it, and only that node
        double synced = internalCluster()
                .client(nodes[0])
                .execute(ExposureGetAction.INSTANCE, new ExposureGetAction.Request("shops", 0, null))
                .actionGet()
                .totalExposure();
        assertEquals(PAGE, synced, 1e-6);
        assertEquals(PAGE, localExposure(nodes[0]), 1e-6);
        assertEquals(nodes[1] + " has not synced", 0.0, localExposure(nodes[1]), 0);

        ResponseException e = failing("GET", "/_plugins/_fair_rescore/exposure/shops?local=maybe", null);
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
    }

    public void testTheLedgerOutlivesARestartAndGoesWithItsIndex() throws Exception {
        catalog("");
        for (int i = 0; i < 3; i++) {
            rest("POST", "/shops/_search", SEARCH);
        }
        double before = number(rest("GET", "/_plugins/_fair_rescore/exposure/shops", null), "totals.exposure");
        assertEquals(3 * PAGE, before, 1e-6);
        internalCluster().fullRestart();
        ensureGreen("shops");
        // the HTTP ports changed with the restart: read through the transport client
        assertEquals(before, totalExposure(), 1e-6);

        client().admin().indices().prepareDelete("shops").get();
        client().admin()
                .indices()
                .prepareCreate("shops")
                .setSettings(Settings.builder()
                        .put("index.number_of_shards", 2)
                        .put("index.number_of_replicas", 0)
                        .put("index.fair_rescore.shop_field", "shop")
                        .put("index.fair_rescore.exposure.mode", "amortized"))
                .get();
        assertEquals("a new index of the same name starts from nothing", 0.0, totalExposure(), 0);
    }
}
