package org.fairrescore.plugin;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inference isolation over real HTTP on one node with the bundled model: a tiny {@code fair_rescore.inference.timeout}
 * keeps the window's first-pass order (explain says so, the stats count it), a tiny {@code fair_rescore.breaker.limit}
 * refuses a window with 429 naming the breaker, and both settings change on a live cluster.
 */
@OpenSearchIntegTestCase.ClusterScope(
        scope = OpenSearchIntegTestCase.Scope.SUITE,
        numDataNodes = 1,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class InferenceIsolationIT extends FairRescoreIntegTestCase {

    private static final String INDEX = "isolation";

    private static Map<String, Object> call(String method, String path, String body) throws Exception {
        return rest(method, path, body);
    }

    private void catalog() throws Exception {
        call("PUT", "/" + INDEX, """
            {"settings": {"number_of_shards": 1, "number_of_replicas": 0, "index.fair_rescore.text_fields": ["title"],
                          "index.fair_rescore.semantic_weight": 0.9},
             "mappings": {"properties": {"title": {"type": "text"}}}}""");
        StringBuilder bulk = new StringBuilder();
        String[] titles = {
            "shoes shoes shoes box",
            "shoes shoes polish",
            "trail running sneakers shoes",
            "shoes rack",
            "kids shoes lights",
            "leather dress shoes",
            "shoes cleaning kit",
            "running shoes for women",
            "shoes horn",
            "shoes bag for travel"
        };
        for (int i = 0; i < titles.length; i++) {
            bulk.append("{\"index\":{\"_id\":\"")
                    .append(i)
                    .append("\"}}\n{\"title\":\"")
                    .append(titles[i])
                    .append("\"}\n");
        }
        Request request = new Request("POST", "/" + INDEX + "/_bulk?refresh=true");
        request.setJsonEntity(bulk.toString());
        getRestClient().performRequest(request);
        ensureGreen(INDEX);
    }

    private static String search(String queryText, boolean explain) {
        return String.format(Locale.ROOT, """
            {"query": {"match": {"title": "shoes"}}, "size": 10, "explain": %s,
             "rescore": {"window_size": 10, "fair_semantic": {"query_text": "%s"}}}""", explain, queryText);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> hits(Map<String, Object> response) {
        return (List<Map<String, Object>>) ((Map<String, Object>) response.get("hits")).get("hits");
    }

    @SuppressWarnings("unchecked")
    private static long isolation(String counter) throws Exception {
        Map<String, Object> nodes = (Map<String, Object>)
                call("GET", "/_plugins/_fair_rescore/stats", null).get("nodes");
        long sum = 0;
        for (Object node : nodes.values()) {
            sum += ((Number) ((Map<String, Object>) ((Map<String, Object>) node).get("isolation")).get(counter))
                    .longValue();
        }
        return sum;
    }

    private static void clusterSetting(String key, String value) throws Exception {
        call(
                "PUT",
                "/_cluster/settings",
                "{\"persistent\": {\"" + key + "\": " + (value == null ? "null" : "\"" + value + "\"") + "}}");
    }

    public void testTimeoutKeepsFirstPassOrderAndBreakerRefusesWith429() throws Exception {
        catalog();
        List<Map<String, Object>> lexical = hits(call("POST", "/" + INDEX + "/_search", """
            {"query": {"match": {"title": "shoes"}}, "size": 10}"""));

        // 10 hits embedded on the fly take far longer than 1 ms: the window keeps its first-pass order
        long timeoutsBefore = isolation("timeouts");
        clusterSetting("fair_rescore.inference.timeout", "1ms");
        try {
            List<Map<String, Object>> timedOut = hits(call(
                    "POST",
                    "/" + INDEX + "/_search",
                    search("sneakers for trail running " + randomAlphaOfLength(6), true)));
            assertEquals(lexical.size(), timedOut.size());
            for (int p = 0; p < lexical.size(); p++) {
                assertEquals(lexical.get(p).get("_id"), timedOut.get(p).get("_id"));
            }
            String explanation = timedOut.get(0).get("_explanation").toString();
            assertTrue(explanation, explanation.contains("inference timed out"));
            assertTrue(explanation, explanation.contains("fair_rescore.inference.timeout"));
            assertTrue(isolation("timeouts") > timeoutsBefore);
        } finally {
            clusterSetting("fair_rescore.inference.timeout", null);
        }
        // the default budget is back: the semantic match rises
        List<Map<String, Object>> semantic =
                hits(call("POST", "/" + INDEX + "/_search", search("sneakers for trail running", false)));
        assertEquals("2", semantic.get(0).get("_id"));

        // a breaker limit below one window (and below what the caches hold): 429 naming the breaker
        clusterSetting("fair_rescore.breaker.limit", "1kb");
        try {
            ResponseException e = expectThrows(
                    ResponseException.class, () -> call("POST", "/" + INDEX + "/_search", search("sneakers", false)));
            assertEquals(429, e.getResponse().getStatusLine().getStatusCode());
            String body = EntityUtils.toString(e.getResponse().getEntity());
            assertTrue(body, body.contains("circuit_breaking_exception"));
            assertTrue(body, body.contains("[fair_rescore]"));
            assertTrue(isolation("breaker_trips") >= 1);
        } finally {
            clusterSetting("fair_rescore.breaker.limit", null);
        }
        call("POST", "/" + INDEX + "/_search", search("sneakers", false));

        // bad values are refused with 400 naming the setting
        for (String[] bad : new String[][] {
            {"fair_rescore.inference.timeout", "0ms"},
            {"fair_rescore.inference.timeout", "soon"},
            {"fair_rescore.breaker.limit", "lots"}
        }) {
            ResponseException e = expectThrows(ResponseException.class, () -> clusterSetting(bad[0], bad[1]));
            assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
            String body = EntityUtils.toString(e.getResponse().getEntity());
            assertTrue(body, body.contains(bad[0]));
        }
    }
}
