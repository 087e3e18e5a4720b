package org.fairrescore.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fairrescore.reliability.Http;
import org.fairrescore.reliability.Http.Reply;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * REST smoke test against a real OpenSearch node with the fair-rescore plugin installed from its zip
 * ({@code integration-test/node.sh}). The node's address comes from {@code -Dtests.cluster}
 * (default {@code http://127.0.0.1:9200}); with no node there, the test fails.
 *
 * <p>Catalogue: four shops with three "shoes" titles each, written so that BM25 ranks shop A's three hits first,
 * then B's, C's and D's. A cap of one hit per shop in any three consecutive positions must therefore reorder them.
 */
public class RealNodeSmokeIT {

    private static final String BASE = System.getProperty("tests.cluster", "http://127.0.0.1:9200").replaceAll("/+$", "");
    private static final String CAPPED = "fair-rescore-smoke-capped";
    private static final String UNCAPPED = "fair-rescore-smoke-uncapped";
    private static final String DYNAMIC = "fair-rescore-smoke-dynamic";
    private static final int DOCS = 12;

    private static final Http HTTP = new Http(BASE);
    private static final ObjectMapper JSON = Http.JSON;
    private static boolean nodeAnswered;

    /** id, shop, title. BM25 for "shoes": tf 3 in 4 words (A) > tf 2 in 4 (B) > tf 1 in 3 (C) > tf 1 in 6 (D). */
    private static final String[][] CATALOGUE = {
        {"a1", "A", "running shoes shoes shoes"},
        {"a2", "A", "trail shoes shoes shoes"},
        {"a3", "A", "walking shoes shoes shoes"},
        {"b1", "B", "leather shoes dress shoes"},
        {"b2", "B", "canvas shoes kids shoes"},
        {"b3", "B", "suede shoes work shoes"},
        {"c1", "C", "red running shoes"},
        {"c2", "C", "blue hiking shoes"},
        {"c3", "C", "black tennis shoes"},
        {"d1", "D", "waterproof leather mountain hiking boots shoes"},
        {"d2", "D", "soft cotton socks for running shoes"},
        {"d3", "D", "chocolate birthday cake with shoes decoration"},
    };

    private record Hit(String id, String shop, String title, double score, JsonNode explanation) {}

    @BeforeClass
    public static void nodeAndIndices() throws Exception {
        Reply root;
        try {
            root = HTTP.call("GET", "/", null);
        } catch (IOException e) {
            throw new AssertionError("no OpenSearch node answers at " + BASE
                + " (start one with integration-test/node.sh start, or pass -Dtests.cluster=http://host:port): " + e, e);
        }
        assertEquals("GET / " + root.raw(), 200, root.status());
        nodeAnswered = true;
        assertEquals("node version", "3.8.0", root.json().path("version").path("number").asText());
        assertGreen();
        assertPluginInstalled();

        for (String index : List.of(CAPPED, UNCAPPED, DYNAMIC)) {
            deleteIfExists(index);
        }
        createIndex(CAPPED, 1, 3);
        createIndex(UNCAPPED, 0, 3);
        bulk(CAPPED);
        bulk(UNCAPPED);
    }

    @AfterClass
    public static void clusterStaysGreenAndIndicesGo() throws Exception {
        if (!nodeAnswered) {
            return; // setup already failed with the reason
        }
        assertGreen();
        for (String index : List.of(CAPPED, UNCAPPED, DYNAMIC)) {
            deleteIfExists(index);
        }
        Reply left = HTTP.call("GET", "/_cat/indices/fair-rescore-smoke-*?format=json", null);
        assertEquals(left.raw(), 200, left.status());
        assertEquals("smoke indices left behind: " + left.raw(), 0, left.json().size());
    }

    @Test
    public void indexSettingsAreAcceptedAndKept() throws Exception {
        Reply settings = HTTP.call("GET", "/" + CAPPED + "/_settings?flat_settings=true", null);
        assertEquals(settings.raw(), 200, settings.status());
        JsonNode s = settings.json().path(CAPPED).path("settings");
        assertEquals("shop", s.path("index.fair_rescore.shop_field").asText());
        assertEquals("1", s.path("index.fair_rescore.max_per_shop").asText());
        assertEquals("3", s.path("index.fair_rescore.cap_window").asText());
        assertEquals("0.5", s.path("index.fair_rescore.semantic_weight").asText());
    }

    @Test
    public void capReordersTheBm25Window() throws Exception {
        List<Hit> bm25 = search(CAPPED, bm25Body());
        assertEquals(DOCS, bm25.size());
        // The catalogue is built so that BM25 alone breaks the cap; otherwise this test would prove nothing.
        assertTrue("BM25 order should put one shop twice in 3 consecutive hits: " + shops(bm25),
            maxPerWindow(shops(bm25), 3) > 1);
        assertEquals("BM25 should rank shop A first", List.of("A", "A", "A"), shops(bm25).subList(0, 3));

        List<Hit> fair = search(CAPPED, rescoreBody("running shoes", 0.5, DOCS, false));
        assertEquals(DOCS, fair.size());
        assertEquals("the rescore must keep every hit", ids(bm25).stream().sorted().toList(), ids(fair).stream().sorted().toList());
        assertNotEquals("the rescore must change the BM25 order", ids(bm25), ids(fair));
        assertEquals("no shop twice in any 3 consecutive hits: " + shops(fair), 1, maxPerWindow(shops(fair), 3));
        assertWindowScores(fair, DOCS);
    }

    @Test
    public void hitsBelowTheWindowStayBelowIt() throws Exception {
        int window = 6;
        List<Hit> bm25 = search(UNCAPPED, bm25Body());
        List<Hit> fair = search(UNCAPPED, rescoreBody("running shoes", 0.5, window, false));
        assertEquals(DOCS, fair.size());
        assertWindowScores(fair.subList(0, window), window);
        assertEquals("the window holds the BM25 top " + window,
            new HashSet<>(ids(bm25.subList(0, window))), new HashSet<>(ids(fair.subList(0, window))));
        Map<String, Double> bm25Score = new HashMap<>();
        bm25.forEach(h -> bm25Score.put(h.id, h.score));
        List<Hit> below = fair.subList(window, DOCS);
        for (int i = 0; i < below.size(); i++) {
            Hit h = below.get(i);
            assertTrue("below-window score must be in [0, 1): " + h, h.score >= 0 && h.score < 1);
            if (i > 0) {
                Hit prev = below.get(i - 1);
                assertTrue("hits below the window keep their BM25 order: " + below,
                    prev.score >= h.score && bm25Score.get(prev.id) >= bm25Score.get(h.id));
            }
        }
    }

    @Test
    public void semanticWeightOneRanksByMeaning() throws Exception {
        // With weight 1 only the model counts: of twelve "shoes" titles, a hiking one must top "hiking boots".
        List<Hit> fair = search(UNCAPPED, rescoreBody("boots for hiking in the mountains", 1.0, DOCS, false));
        assertEquals(DOCS, fair.size());
        assertTrue("top hit should be about hiking: " + fair.get(0), fair.get(0).title.contains("hiking"));
        // and the cake, sharing only the word "shoes", must not be in the top three
        for (Hit h : fair.subList(0, 3)) {
            assertFalse("cake ranked in the top 3 for hiking boots: " + fair, h.id.equals("d3"));
        }
    }

    @Test
    public void explainCarriesTheFairSemanticExplanation() throws Exception {
        List<Hit> fair = search(CAPPED, rescoreBody("running shoes", 0.5, DOCS, true));
        assertEquals(DOCS, fair.size());
        for (Hit h : fair) {
            assertTrue("no explanation on " + h.id, h.explanation != null && !h.explanation.isMissingNode());
            assertTrue("explanation of " + h.id + " does not mention fair_semantic: " + h.explanation,
                mentions(h.explanation, "fair_semantic"));
            assertEquals("explained value of " + h.id, h.score, h.explanation.path("value").asDouble(), 1e-4);
        }
    }

    @Test
    public void missingQueryTextIsABadRequest() throws Exception {
        String body = """
            {"query": {"match": {"title": "shoes"}},
             "rescore": {"window_size": 10, "fair_semantic": {"semantic_weight": 0.5, "fields": ["title"]}}}""";
        assertBadRequestNaming(HTTP.call("POST", "/" + CAPPED + "/_search", body), "query_text");
    }

    @Test
    public void semanticWeightAboveOneIsABadRequest() throws Exception {
        String body = """
            {"query": {"match": {"title": "shoes"}},
             "rescore": {"window_size": 10,
                         "fair_semantic": {"query_text": "shoes", "semantic_weight": 2, "fields": ["title"]}}}""";
        assertBadRequestNaming(HTTP.call("POST", "/" + CAPPED + "/_search", body), "semantic_weight");
    }

    @Test
    public void capSettingIsDynamic() throws Exception {
        createIndex(DYNAMIC, 0, 3);
        bulk(DYNAMIC);
        Reply update = HTTP.call("PUT", "/" + DYNAMIC + "/_settings", "{\"index.fair_rescore.max_per_shop\": 1}");
        assertEquals(update.raw(), 200, update.status());
        List<Hit> fair = search(DYNAMIC, rescoreBody("running shoes", 0.5, DOCS, false));
        assertEquals("the updated cap applies at once: " + shops(fair), 1, maxPerWindow(shops(fair), 3));
        Reply bad = HTTP.call("PUT", "/" + DYNAMIC + "/_settings", "{\"index.fair_rescore.semantic_weight\": 1.5}");
        assertEquals("semantic_weight 1.5 must be refused: " + bad.raw(), 400, bad.status());
        assertTrue(bad.raw(), bad.raw().contains("semantic_weight"));
        deleteIfExists(DYNAMIC);
    }

    @Test
    public void everyQuotaModeAndTheSearchPipelineRunOnTheRealNode() throws Exception {
        String index = DYNAMIC + "-modes";
        createIndex(index, 1, 3);
        bulk(index);
        String[][] modes = {
            { "{\"index.fair_rescore.mode\": \"share\", \"index.fair_rescore.max_share\": 0.5}", "share max_share=0.5" },
            { "{\"index.fair_rescore.mode\": \"fair_topk\", \"index.fair_rescore.protected_field\": \"shop\","
                + " \"index.fair_rescore.protected_value\": \"" + CATALOGUE[CATALOGUE.length - 1][1] + "\", \"index.fair_rescore.protected_share\": 0.4}",
                "fair_topk p=0.4" },
            { "{\"index.fair_rescore.mode\": \"none\"}", "quota: none" },
            { "{\"index.fair_rescore.mode\": \"cap\"}", "cap max_per_shop=1" } };
        for (String[] mode : modes) {
            Reply update = HTTP.call("PUT", "/" + index + "/_settings", mode[0]);
            assertEquals(update.raw(), 200, update.status());
            List<Hit> hits = search(index, rescoreBody("running shoes", 0.5, DOCS, true));
            assertEquals(DOCS, hits.size());
            for (Hit hit : hits) {
                assertTrue(mode[1] + " in " + hit.explanation(), mentions(hit.explanation(), mode[1]));
            }
        }
        Reply pipeline = HTTP.call("PUT", "/_search/pipeline/fair-rescore-smoke", """
            {"request_processors": [{"fair_rescore": {"oversample": 2}}], "response_processors": [{"fair_rescore": {}}]}""");
        assertEquals(pipeline.raw(), 200, pipeline.status());
        Reply piped = HTTP.call("POST", "/" + index + "/_search?search_pipeline=fair-rescore-smoke", rescoreBody("running shoes", 0.5, DOCS, false));
        assertEquals(piped.raw(), 200, piped.status());
        List<String> shops = new java.util.ArrayList<>();
        for (JsonNode hit : piped.json().path("hits").path("hits")) {
            shops.add(hit.path("_source").path("shop").asText());
        }
        assertEquals("the pipeline keeps the cap on the merged hits: " + shops, 1, maxPerWindow(shops, 3));
        Reply badPipeline = HTTP.call("PUT", "/_search/pipeline/fair-rescore-smoke-bad", """
            {"request_processors": [{"fair_rescore": {"oversample": 0}}]}""");
        assertEquals(badPipeline.raw(), 400, badPipeline.status());
        assertTrue(badPipeline.raw(), badPipeline.raw().contains("oversample"));
        HTTP.call("DELETE", "/_search/pipeline/fair-rescore-smoke", null);
        deleteIfExists(index);
        assertGreen();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static void assertPluginInstalled() throws Exception {
        Reply plugins = HTTP.call("GET", "/_cat/plugins?format=json", null);
        assertEquals(plugins.raw(), 200, plugins.status());
        boolean found = false;
        for (JsonNode p : plugins.json()) {
            found |= "fair-rescore".equals(p.path("component").asText());
        }
        assertTrue("fair-rescore is not in _cat/plugins of " + BASE + " (install it with integration-test/node.sh install"
            + " target/fair-rescore-*.zip): " + plugins.raw(), found);
    }

    private static void createIndex(String index, int maxPerShop, int capWindow) throws Exception {
        String body = String.format(Locale.ROOT, """
            {"settings": {"index": {
                "number_of_shards": 1, "number_of_replicas": 0,
                "fair_rescore": {"text_fields": ["title"], "semantic_weight": 0.5, "shop_field": "shop",
                                 "max_per_shop": %d, "cap_window": %d}}},
             "mappings": {"properties": {"title": {"type": "text"}, "shop": {"type": "keyword"}}}}""",
            maxPerShop, capWindow);
        Reply created = HTTP.call("PUT", "/" + index, body);
        assertEquals("create " + index + ": " + created.raw(), 200, created.status());
        assertTrue(created.raw(), created.json().path("acknowledged").asBoolean());
    }

    private static void bulk(String index) throws Exception {
        StringBuilder ndjson = new StringBuilder();
        for (String[] doc : CATALOGUE) {
            ndjson.append(JSON.writeValueAsString(Map.of("index", Map.of("_index", index, "_id", doc[0])))).append('\n');
            ndjson.append(JSON.writeValueAsString(Map.of("shop", doc[1], "title", doc[2]))).append('\n');
        }
        Reply bulk = HTTP.call("POST", "/_bulk?refresh=true", ndjson.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(bulk.raw(), 200, bulk.status());
        assertFalse("bulk errors: " + bulk.raw(), bulk.json().path("errors").asBoolean(true));
        Reply count = HTTP.call("GET", "/" + index + "/_count", null);
        assertEquals(count.raw(), DOCS, count.json().path("count").asInt());
    }

    private static void deleteIfExists(String index) throws Exception {
        Reply deleted = HTTP.call("DELETE", "/" + index, null);
        assertTrue("delete " + index + ": " + deleted.raw(), deleted.status() == 200 || deleted.status() == 404);
    }

    private static void assertGreen() throws Exception {
        Reply health = HTTP.call("GET", "/_cluster/health?wait_for_status=green&timeout=30s", null);
        assertEquals("cluster health: " + health.raw(), "green", health.json().path("status").asText());
    }

    private static String bm25Body() {
        return String.format(Locale.ROOT, "{\"size\": %d, \"query\": {\"match\": {\"title\": \"shoes\"}}}", DOCS);
    }

    private static String rescoreBody(String queryText, double weight, int window, boolean explain) throws Exception {
        return String.format(Locale.ROOT, """
            {"size": %d, "explain": %b, "query": {"match": {"title": "shoes"}},
             "rescore": {"window_size": %d,
                         "fair_semantic": {"query_text": %s, "semantic_weight": %s, "fields": ["title"]}}}""",
            DOCS, explain, window, JSON.writeValueAsString(queryText), Double.toString(weight));
    }

    private static List<Hit> search(String index, String body) throws Exception {
        Reply reply = HTTP.call("POST", "/" + index + "/_search", body);
        assertEquals("search " + body + " -> " + reply.raw(), 200, reply.status());
        assertEquals("shard failures: " + reply.raw(), 0, reply.json().path("_shards").path("failed").asInt());
        List<Hit> hits = new ArrayList<>();
        for (JsonNode h : reply.json().path("hits").path("hits")) {
            hits.add(new Hit(h.path("_id").asText(), h.path("_source").path("shop").asText(),
                h.path("_source").path("title").asText(), h.path("_score").asDouble(), h.path("_explanation")));
        }
        return hits;
    }

    /** Window hits score 1 + blend with blend in [0, 1], strictly decreasing. */
    private static void assertWindowScores(List<Hit> window, int size) {
        assertEquals(size, window.size());
        for (int i = 0; i < window.size(); i++) {
            Hit h = window.get(i);
            assertTrue("window score must be in [1, 2]: " + h, h.score >= 1 && h.score <= 2);
            if (i > 0) {
                assertTrue("scores must strictly decrease: " + window, h.score < window.get(i - 1).score);
            }
        }
    }

    private static void assertBadRequestNaming(Reply reply, String field) {
        assertEquals("expected 400: " + reply.raw(), 400, reply.status());
        assertTrue("no reason names '" + field + "': " + reply.raw(), reply.reasonContains(field));
    }

    private static boolean mentions(JsonNode explanation, String word) {
        if (explanation.path("description").asText().contains(word)) {
            return true;
        }
        for (JsonNode d : explanation.path("details")) {
            if (mentions(d, word)) {
                return true;
            }
        }
        return false;
    }

    /** The most hits any one shop has in any {@code window} consecutive positions. */
    private static int maxPerWindow(List<String> shops, int window) {
        int max = 0;
        for (int start = 0; start + window <= shops.size(); start++) {
            Map<String, Integer> counts = new HashMap<>();
            for (String shop : shops.subList(start, start + window)) {
                max = Math.max(max, counts.merge(shop, 1, Integer::sum));
            }
        }
        return max;
    }

    private static List<String> shops(List<Hit> hits) {
        return hits.stream().map(Hit::shop).toList();
    }

    private static List<String> ids(List<Hit> hits) {
        return hits.stream().map(Hit::id).toList();
    }
}
