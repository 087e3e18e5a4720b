package org.fairrescore.rest;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.fairrescore.plugin.FairRescoreIntegTestCase;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two nodes over real HTTP: the stats endpoint for all nodes and for one, counters that follow searches (rescore
 * windows, quota moves by mode, inference, the query cache, the search pipeline), and {@code _embed} answering on the
 * search pool with 400s that name the field.
 */
@OpenSearchIntegTestCase.ClusterScope(
        scope = OpenSearchIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class FairRescoreRestIT extends FairRescoreIntegTestCase {

    private static Map<String, Object> call(String method, String path, String body) throws Exception {
        return rest(method, path, body);
    }

    private static Map<String, Object> badRequest(String method, String path, String body) throws Exception {
        Request request = new Request(method, path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        ResponseException e =
                expectThrows(ResponseException.class, () -> getRestClient().performRequest(request));
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        return XContentHelper.convertToMap(
                JsonXContent.jsonXContent, EntityUtils.toString(e.getResponse().getEntity()), false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> json, String path) {
        Object o = json;
        for (String key : path.split("\\.")) {
            o = ((Map<String, Object>) o).get(key);
        }
        return (T) o;
    }

    /** A counter summed over every node of a stats answer. */
    private static long sum(Map<String, Object> stats, String path) {
        long total = 0;
        for (Object node : map(stats.get("nodes")).values()) {
            total += ((Number) at(map(node), path)).longValue();
        }
        return total;
    }

    public void testStatsForAllNodesAndForOne() throws Exception {
        Map<String, Object> all = call("GET", "/_plugins/_fair_rescore/stats", null);
        assertEquals(2, (int) at(all, "_nodes.total"));
        assertEquals(2, (int) at(all, "_nodes.successful"));
        assertNotNull(all.get("cluster_name"));
        Map<String, Object> nodes = map(all.get("nodes"));
        assertEquals(2, nodes.size());
        for (Object node : nodes.values()) {
            assertEquals("the node's default model", "bge-small-en-v15-q", at(map(node), "model.id"));
            assertEquals(true, at(map(node), "models.bge-small-en-v15-q.default"));
            assertTrue(((Number) at(map(node), "models.bge-small-en-v15-q.memory_size_in_bytes")).longValue() > 0);
            assertEquals("cpu", at(map(node), "model.device"));
            assertEquals(384, (int) at(map(node), "model.dims"));
            assertTrue(at(map(node), "inference.batches") instanceof Number);
            assertTrue(at(map(node), "inference.latency.p99_in_micros") instanceof Number);
            assertEquals(0, (int) at(map(node), "isolation.timeouts"));
            assertEquals(
                    List.of("cap", "share", "fair_topk", "group_fair_topk", "none"),
                    List.copyOf(map(at(map(node), "quota.rescore")).keySet()));
        }
        String id = nodes.keySet().iterator().next();
        Map<String, Object> one = call("GET", "/_plugins/_fair_rescore/" + id + "/stats", null);
        assertEquals(1, (int) at(one, "_nodes.total"));
        assertEquals(List.of(id), List.copyOf(map(one.get("nodes")).keySet()));
        Map<String, Object> local = call("GET", "/_plugins/_fair_rescore/_local/stats", null);
        assertEquals(1, map(local.get("nodes")).size());

        Map<String, Object> error = badRequest("GET", "/_plugins/_fair_rescore/stats?colour=red", null);
        assertTrue(error.toString(), at(error, "error.reason").toString().contains("colour"));
    }

    public void testCountersFollowSearches() throws Exception {
        call(
                "PUT",
                "/catalog",
                "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, \"index.fair_rescore.shop_field\": \"shop\", "
                        + "\"index.fair_rescore.max_per_shop\": 1, \"index.fair_rescore.cap_window\": 3}, "
                        + "\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, \"shop\": {\"type\": \"keyword\"}}}}");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            bulk.append("{\"index\": {\"_index\": \"catalog\"}}\n");
            bulk.append(String.format(
                    Locale.ROOT, "{\"title\": \"shoes shoes shoes running %d\", \"shop\": \"mega\"}%n", i));
        }
        for (int i = 0; i < 4; i++) {
            bulk.append("{\"index\": {\"_index\": \"catalog\"}}\n");
            bulk.append(String.format(
                    Locale.ROOT, "{\"title\": \"shoes for walking model %d\", \"shop\": \"shop-%d\"}%n", i, i));
        }
        Request bulkRequest = new Request("POST", "/_bulk?refresh=true");
        bulkRequest.setJsonEntity(bulk.toString());
        getRestClient().performRequest(bulkRequest);
        ensureGreen("catalog");

        Map<String, Object> before = call("GET", "/_plugins/_fair_rescore/stats", null);
        String search = "{\"query\": {\"match\": {\"title\": \"shoes\"}}, \"size\": 8, "
                + "\"rescore\": {\"window_size\": 8, \"fair_semantic\": {\"query_text\": \"running shoes\"}}}";
        call("POST", "/catalog/_search", search);
        call("POST", "/catalog/_search", search);
        Map<String, Object> after = call("GET", "/_plugins/_fair_rescore/stats", null);

        assertEquals(2, sum(after, "rescore.windows") - sum(before, "rescore.windows"));
        assertEquals(16, sum(after, "rescore.hits") - sum(before, "rescore.hits"));
        assertEquals(2, sum(after, "quota.rescore.cap.windows") - sum(before, "quota.rescore.cap.windows"));
        assertTrue(
                "the cap moved hits", sum(after, "quota.rescore.cap.moved") > sum(before, "quota.rescore.cap.moved"));
        assertEquals(0, sum(after, "quota.rescore.share.windows"));
        assertEquals(1, sum(after, "query_cache.hit_count") - sum(before, "query_cache.hit_count"));
        assertEquals(16, sum(after, "documents.on_the_fly_vectors") - sum(before, "documents.on_the_fly_vectors"));
        assertEquals(
                "the second search took the document vectors from the cache",
                8,
                sum(after, "documents.embedded_on_the_fly") - sum(before, "documents.embedded_on_the_fly"));
        assertEquals(9, sum(after, "inference.texts") - sum(before, "inference.texts"));
        assertTrue(sum(after, "rescore.latency.max_in_micros") > 0);
        assertTrue(sum(after, "document_cache.entries") >= 8);

        call(
                "PUT",
                "/catalog/_settings",
                "{\"index.fair_rescore.mode\": \"share\", \"index.fair_rescore.max_share\": 0.5}");
        call(
                "PUT",
                "/_search/pipeline/fair",
                "{\"request_processors\": [{\"fair_rescore\": {}}], \"response_processors\": [{\"fair_rescore\": {}}]}");
        call("POST", "/catalog/_search?search_pipeline=fair", search);
        Map<String, Object> piped = call("GET", "/_plugins/_fair_rescore/stats", null);
        assertEquals(1, sum(piped, "quota.rescore.share.windows"));
        assertEquals(1, sum(piped, "quota.pipeline.share.windows"));
        assertEquals(0, sum(piped, "quota.pipeline.cap.windows"));
        call("DELETE", "/_search/pipeline/fair", null);
    }

    private static long searchPoolCompleted() throws Exception {
        return sum(call("GET", "/_nodes/stats/thread_pool", null), "thread_pool.search.completed");
    }

    @SuppressWarnings("unchecked")
    public void testEmbedRunsOnTheSearchPool() throws Exception {
        long before = searchPoolCompleted();
        Map<String, Object> r = call("POST", "/_plugins/_fair_rescore/_embed", "{\"text\": \"Trail running shoes\"}");
        long after = searchPoolCompleted();
        assertTrue("the embed request ran on a search thread", after > before);
        assertEquals("bge-small-en-v15-q", r.get("model"));
        assertEquals("query", r.get("as"));
        assertEquals("Represent this sentence for searching relevant passages: ", r.get("prefix"));
        List<Object> embeddings = at(r, "embeddings");
        assertEquals(1, embeddings.size());
        Map<String, Object> q = map(embeddings.get(0));
        List<?> queryTokens = (List<?>) q.get("tokens");
        assertEquals("the query instruction comes first", "represent", queryTokens.get(1));
        assertEquals(
                List.of("trail", "running", "shoes", "[SEP]"),
                queryTokens.subList(queryTokens.size() - 4, queryTokens.size()));
        assertEquals(384, ((List<?>) q.get("vector")).size());

        Map<String, Object> d = call(
                "POST", "/_plugins/_fair_rescore/_embed", "{\"text\": \"Trail running shoes\", \"as\": \"document\"}");
        assertEquals("", d.get("prefix"));
        Map<String, Object> e = map(((List<Object>) at(d, "embeddings")).get(0));
        assertEquals(List.of("[CLS]", "trail", "running", "shoes", "[SEP]"), e.get("tokens"));
        assertEquals(5, e.get("token_count"));
        assertEquals(false, e.get("truncated"));
        assertEquals(384, ((List<?>) e.get("vector")).size());

        Map<String, Object> tokensOnly =
                call("GET", "/_plugins/_fair_rescore/_embed?include_vector=false", "{\"texts\": [\"a\", \"b c\"]}");
        List<Object> two = at(tokensOnly, "embeddings");
        assertEquals(2, two.size());
        assertFalse(map(two.get(1)).containsKey("vector"));
    }

    public void testEmbedBadInputIs400NamingTheField() throws Exception {
        String path = "/_plugins/_fair_rescore/_embed";
        assertReason(badRequest("POST", path, "{}"), "[text]");
        assertReason(badRequest("POST", path, "{\"text\": 3}"), "[text] must be a string");
        assertReason(badRequest("POST", path, "{\"text\": \"\"}"), "[text] must be a non-empty string");
        assertReason(
                badRequest("POST", path, "{\"text\": \"" + "x".repeat(5000) + "\"}"), "[text] is 5000 characters long");
        assertReason(badRequest("POST", path, "{\"texts\": [\"a\", 1]}"), "[texts][1]");
        assertReason(badRequest("POST", path, "{\"query\": \"a\"}"), "[query]");
        assertReason(badRequest("POST", path, null), "requires a body");
        assertReason(badRequest("POST", path + "?include_vector=maybe", "{\"text\": \"a\"}"), "include_vector");
    }

    private static void assertReason(Map<String, Object> error, String mention) {
        String reason = at(error, "error.reason");
        assertTrue(reason + " should mention " + mention, reason.contains(mention));
        assertEquals(400, (int) error.get("status"));
    }
}
