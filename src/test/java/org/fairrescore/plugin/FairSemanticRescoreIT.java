package org.fairrescore.plugin;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.fairrescore.rescore.FairSemanticRescorer;
import org.fairrescore.rescore.FairSemanticRescorerBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

/**
 * Two nodes, three shards, the real bundled model: reorder, caps (documents routed by shop, so the per-shard cap is
 * exact on the merged hits), explain on a multi-shard search, settings taking effect on the next search, and bad
 * input answered with 400 over real HTTP.
 */
@OpenSearchIntegTestCase.ClusterScope(
        scope = OpenSearchIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class FairSemanticRescoreIT extends FairRescoreIntegTestCase {

    private static final String INDEX = "products";
    private static final int BIG_SHOP_DOCS = 6;
    private static final int SMALL_SHOPS = 25;

    private final Map<String, String> shopOf = new HashMap<>();

    private void createCatalog(int maxPerShop) throws IOException {
        assertAcked(prepareCreate(INDEX)
                .setSettings(Settings.builder()
                        .put("index.number_of_shards", 3)
                        .put("index.number_of_replicas", 0)
                        .putList("index.fair_rescore.text_fields", "title")
                        .put("index.fair_rescore.shop_field", "shop")
                        .put("index.fair_rescore.max_per_shop", maxPerShop)
                        .put("index.fair_rescore.cap_window", 3)
                        .put("index.fair_rescore.semantic_weight", 0.5))
                .setMapping("title", "type=text", "shop", "type=keyword", "price", "type=float"));
        List<String[]> docs = new ArrayList<>();
        for (int i = 0; i < BIG_SHOP_DOCS; i++) {
            docs.add(new String[] {"big-" + i, "megastore", "running sneakers and shoes for men size " + i});
        }
        String[] phrasing = {
            "shoes gift box", "leather shoes polish", "kids shoes with lights", "shoes rack for hallway"
        };
        for (int s = 0; s < SMALL_SHOPS; s++) {
            for (int j = 0; j < 3; j++) {
                docs.add(new String[] {
                    "s" + s + "-" + j,
                    String.format(Locale.ROOT, "shop-%02d", s),
                    phrasing[(s + j) % phrasing.length] + " model " + j
                });
            }
            // documents that do not match the query, so that "shoes" carries some idf
            docs.add(new String[] {"g" + s, String.format(Locale.ROOT, "shop-%02d", s), "garden hose reel " + s});
        }
        for (String[] doc : docs) {
            shopOf.put(doc[0], doc[1]);
            client().prepareIndex(INDEX)
                    .setId(doc[0])
                    .setRouting(
                            doc[1]) // route by shop: all of a shop's hits on one shard makes the per-shard cap exact
                    .setSource("title", doc[2], "shop", doc[1], "price", 10)
                    .get();
        }
        refresh(INDEX);
        ensureGreen(INDEX);
    }

    /** A node's client with a clause bound to that node's rescorer (a request it runs locally is not serialized). */
    private record Coordinator(Client client, FairSemanticRescorer rescorer) {
        FairSemanticRescorerBuilder clause(String queryText) {
            return new FairSemanticRescorerBuilder(rescorer, queryText);
        }
    }

    private Coordinator coordinator() {
        String node = randomFrom(internalCluster().getNodeNames());
        FairRescorePlugin plugin = internalCluster()
                .getInstance(PluginsService.class, node)
                .filterPlugins(FairRescorePlugin.class)
                .get(0);
        return new Coordinator(client(node), plugin.rescorer());
    }

    private SearchResponse rescored(String queryText, int size) {
        Coordinator coordinator = coordinator();
        SearchResponse response = coordinator
                .client()
                .prepareSearch(INDEX)
                .setQuery(QueryBuilders.matchQuery("title", "shoes"))
                .setSize(size)
                .addRescorer(coordinator.clause(queryText), 100)
                .get();
        assertNoFailures(response);
        return response;
    }

    private void assertCapHolds(SearchHit[] hits, int maxPerShop, int window) {
        for (int p = 0; p < hits.length; p++) {
            String shop = shopOf.get(hits[p].getId());
            int same = 0;
            for (int q = Math.max(0, p - window + 1); q < p; q++) {
                if (shop.equals(shopOf.get(hits[q].getId()))) {
                    same++;
                }
            }
            assertTrue("shop " + shop + " breaks the cap at position " + p, same < maxPerShop);
        }
    }

    public void testReorderCapExplainAndSettings() throws Exception {
        createCatalog(1);

        SearchResponse response = rescored("running sneakers", 50);
        SearchHit[] hits = response.getHits().getHits();
        assertEquals(50, hits.length);
        assertCapHolds(hits, 1, 3);
        for (int p = 1; p < hits.length; p++) {
            assertTrue("scores decrease", hits[p].getScore() < hits[p - 1].getScore());
        }
        assertTrue(hits[0].getScore() >= 1f && hits[0].getScore() <= 2f);

        // explain over three shards: the fetch phase rebuilds each shard's window
        Coordinator coordinator = coordinator();
        SearchResponse explained = coordinator
                .client()
                .prepareSearch(INDEX)
                .setQuery(QueryBuilders.matchQuery("title", "shoes"))
                .setSize(10)
                .setExplain(true)
                .addRescorer(coordinator.clause("running sneakers"), 100)
                .get();
        assertNoFailures(explained);
        boolean sawMove = false;
        StringBuilder all = new StringBuilder();
        for (SearchHit hit : explained.getHits().getHits()) {
            String text = hit.getExplanation().toString();
            all.append(hit.getId()).append(' ').append(text).append('\n');
            assertTrue(text, text.contains("fair_semantic"));
            assertTrue(text, text.contains("cosine(query, document)"));
            assertTrue(text, text.contains("first-pass score"));
            assertTrue(text, text.contains("quota:"));
            assertEquals(hit.getScore(), hit.getExplanation().getValue().floatValue(), 0f);
            sawMove |= text.contains("moved down") || text.contains("moved up");
        }
        assertTrue("explain names the cap's moves:\n" + all, sawMove);

        // settings take effect on the next search: lift the cap, megastore may cluster again
        assertAcked(client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder().put("index.fair_rescore.max_per_shop", 2)));
        SearchHit[] relaxed = rescored("running sneakers", 50).getHits().getHits();
        assertCapHolds(relaxed, 2, 3);

        // weight 0: lexical order only
        assertAcked(client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder()
                        .put("index.fair_rescore.max_per_shop", 0)
                        .put("index.fair_rescore.semantic_weight", 0)));
        SearchHit[] lexicalOnly = rescored("running sneakers", 20).getHits().getHits();
        SearchHit[] plain = client().prepareSearch(INDEX)
                .setQuery(QueryBuilders.matchQuery("title", "shoes"))
                .setSize(20)
                .get()
                .getHits()
                .getHits();
        for (int p = 0; p < plain.length; p++) {
            if (p + 1 < plain.length && plain[p].getScore() == plain[p + 1].getScore()) {
                continue; // ties may merge in either order
            }
            if (p > 0 && plain[p].getScore() == plain[p - 1].getScore()) {
                continue;
            }
            assertEquals("position " + p, plain[p].getId(), lexicalOnly[p].getId());
        }
    }

    private Response search(String body) throws IOException {
        Request request = new Request("POST", "/" + INDEX + "/_search");
        request.setJsonEntity(body);
        return getRestClient().performRequest(request);
    }

    private void assertBadRequest(String body, String... mentions) throws Exception {
        ResponseException e = expectThrows(ResponseException.class, () -> search(body));
        assertEquals(body, 400, e.getResponse().getStatusLine().getStatusCode());
        String text = EntityUtils.toString(e.getResponse().getEntity());
        for (String mention : mentions) {
            assertTrue(text, text.contains(mention));
        }
    }

    public void testBadInputIsA400NamingTheField() throws Exception {
        createCatalog(1);
        String query = "\"query\": {\"match\": {\"title\": \"shoes\"}}";
        assertBadRequest("{" + query + ", \"rescore\": {\"fair_semantic\": {\"semantic_weight\": 0.5}}}", "query_text");
        assertBadRequest(
                "{" + query + ", \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\", \"colour\": 1}}}", "colour");
        assertBadRequest(
                "{" + query + ", \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\", \"semantic_weight\": 2}}}",
                "semantic_weight");
        assertBadRequest(
                "{" + query
                        + ", \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\", \"semantic_weight\": \"x\"}}}",
                "semantic_weight");
        assertBadRequest(
                "{" + query + ", \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\", \"fields\": [\"nope\"]}}}",
                "nope");
        assertBadRequest(
                "{" + query + ", \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\", \"fields\": [\"price\"]}}}",
                "[fields] names [price], a [float] field");
        assertBadRequest(
                "{" + query + ", \"rescore\": {\"window_size\": 20000, \"fair_semantic\": {\"query_text\": \"a\"}}}",
                "index.max_rescore_window");

        // a shop field that is not a keyword
        assertAcked(client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder().put("index.fair_rescore.shop_field", "price")));
        assertBadRequest(
                "{" + query + ", \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\"}}}",
                "index.fair_rescore.shop_field",
                "keyword");

        // a shop field that is not mapped (e.g. the index was re-created without it): the search goes on without a
        // quota
        assertAcked(client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder().put("index.fair_rescore.shop_field", "seller")));
        String explained = EntityUtils.toString(
                search("{" + query + ", \"explain\": true, \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\"}}}")
                        .getEntity());
        assertTrue(explained, explained.contains("\"failed\":0"));
        assertTrue(
                explained,
                explained.contains("[index.fair_rescore.shop_field] names [seller], which is not mapped in index ["
                        + INDEX + "]: no quota applied"));
        assertAcked(client().admin()
                .indices()
                .prepareUpdateSettings(INDEX)
                .setSettings(Settings.builder().put("index.fair_rescore.shop_field", "shop")));

        // settings are validated on update
        Request update = new Request("PUT", "/" + INDEX + "/_settings");
        update.setJsonEntity("{\"index.fair_rescore.semantic_weight\": 1.5}");
        ResponseException e =
                expectThrows(ResponseException.class, () -> getRestClient().performRequest(update));
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        assertTrue(EntityUtils.toString(e.getResponse().getEntity()).contains("index.fair_rescore.semantic_weight"));

        ensureGreen(INDEX);
        assertEquals(
                BIG_SHOP_DOCS + SMALL_SHOPS * 4,
                client().prepareSearch(INDEX)
                        .setSize(0)
                        .get()
                        .getHits()
                        .getTotalHits()
                        .value());
        Response health = getRestClient().performRequest(new Request("GET", "/_cluster/health"));
        assertTrue(EntityUtils.toString(health.getEntity()).contains("\"status\":\"green\""));
    }

    private static FairRescorePlugin plugin(String node) {
        return internalCluster()
                .getInstance(PluginsService.class, node)
                .filterPlugins(FairRescorePlugin.class)
                .get(0);
    }

    /**
     * The coordinating node starts embedding the query text as the search arrives, but only where the search's shards
     * will use it: a node that holds no copy of the index embeds nothing, and the node that does embeds each text once
     * (its prefetch and its shard share one inference).
     */
    public void testTheQueryVectorIsPrefetchedOnlyWhereTheShardsAre() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        String holder = nodes[0];
        String other = nodes[1];
        String index = "one-node-only";
        assertAcked(prepareCreate(index)
                .setSettings(Settings.builder()
                        .put("index.number_of_shards", 1)
                        .put("index.number_of_replicas", 0)
                        .put("index.routing.allocation.require._name", holder)
                        .putList("index.fair_rescore.text_fields", "title"))
                .setMapping("title", "type=text"));
        client().prepareIndex(index)
                .setId("1")
                .setSource("title", "red running shoes")
                .get();
        refresh(index);
        ensureGreen(index);

        long holderLoads = plugin(holder).stats().snapshot().queryCache().loads();
        long otherLoads = plugin(other).stats().snapshot().queryCache().loads();
        for (String[] coordinatorAndText :
                new String[][] {{other, "prefetch probe via the other node"}, {holder, "prefetch probe via the holder"}
                }) {
            String coordinator = coordinatorAndText[0];
            SearchResponse response = client(coordinator)
                    .prepareSearch(index)
                    .setQuery(QueryBuilders.matchQuery("title", "shoes"))
                    .addRescorer(
                            new FairSemanticRescorerBuilder(plugin(coordinator).rescorer(), coordinatorAndText[1]), 10)
                    .get();
            assertNoFailures(response);
            assertEquals(1, response.getHits().getHits().length);
            assertEquals(
                    "one inference on the holder for [" + coordinatorAndText[1] + "]",
                    ++holderLoads,
                    plugin(holder).stats().snapshot().queryCache().loads());
            assertEquals(
                    "no inference on a node without the shard",
                    otherLoads,
                    plugin(other).stats().snapshot().queryCache().loads());
        }
        assertAcked(client().admin().indices().prepareDelete(index));
    }
}
