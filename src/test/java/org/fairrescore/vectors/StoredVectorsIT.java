package org.fairrescore.vectors;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.fairrescore.plugin.FairRescoreIntegTestCase;
import org.fairrescore.plugin.FairRescorePlugin;
import org.fairrescore.rescore.DocumentVectors;
import org.fairrescore.rescore.FairSemanticRescorerBuilder;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

/**
 * Two nodes, the real model: vectors embedded by the {@code fair_rescore_embed} processor and stored in a
 * {@code fair_rescore_vector} field are what the rescorer uses (no on-the-fly embedding when every hit has one), and
 * they rank exactly as on-the-fly embedding of the same texts does; unchanged text is not embedded again; bad vectors
 * and mappings are 400s naming the field.
 */
@OpenSearchIntegTestCase.ClusterScope(
        scope = OpenSearchIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class StoredVectorsIT extends FairRescoreIntegTestCase {

    private static final String STORED = "stored";
    private static final String ON_THE_FLY = "on_the_fly";
    private static final String PIPELINE = "embed-titles";

    private static final String[] NOUNS = {
        "running shoes", "trail sneakers", "leather boots", "kids shoes", "shoe rack", "shoes polish"
    };
    private static final String[] WORDS = {
        "lightweight", "waterproof", "for men", "for women", "red", "black", "size 9", "breathable"
    };

    private static final String MAPPING = """
        {"properties": {"title": {"type": "text"}, "shop": {"type": "keyword"}, "price": {"type": "float"},
         "title_vector": {"type": "fair_rescore_vector", "dims": 384}}}""";

    private List<String> titles() {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            titles.add(String.format(
                    Locale.ROOT,
                    "%s %s %s model %d",
                    WORDS[i % WORDS.length],
                    NOUNS[i % NOUNS.length],
                    WORDS[(i / 3) % WORDS.length],
                    i));
        }
        titles.add("garden hose reel");
        titles.add("shoes");
        return titles;
    }

    private void setUpIndices() throws IOException {
        Request pipeline = new Request("PUT", "/_ingest/pipeline/" + PIPELINE);
        pipeline.setJsonEntity(
                "{\"processors\": [{\"fair_rescore_embed\": {\"field_map\": {\"title\": \"title_vector\"}, \"batch_size\": 8}}]}");
        getRestClient().performRequest(pipeline);

        Settings common = Settings.builder()
                .put("index.number_of_shards", 2)
                .put("index.number_of_replicas", 0)
                .putList("index.fair_rescore.text_fields", "title")
                .build();
        assertAcked(prepareCreate(STORED)
                .setSettings(Settings.builder()
                        .put(common)
                        .put("index.fair_rescore.vector_field", "title_vector")
                        .put("index.default_pipeline", PIPELINE))
                .setMapping(MAPPING));
        assertAcked(prepareCreate(ON_THE_FLY).setSettings(common).setMapping(MAPPING));

        List<String> titles = titles();
        for (String index : List.of(STORED, ON_THE_FLY)) {
            BulkRequestBuilder bulk = client().prepareBulk(index);
            for (int i = 0; i < titles.size(); i++) {
                bulk.add(client().prepareIndex(index)
                        .setId("p" + i)
                        .setSource(Map.of("title", titles.get(i), "shop", "shop-" + (i % 5), "price", 10 + i)));
            }
            BulkResponse response = bulk.get();
            assertFalse(response.buildFailureMessage(), response.hasFailures());
        }
        refresh(STORED, ON_THE_FLY);
        ensureGreen(STORED, ON_THE_FLY);
    }

    private List<FairRescorePlugin> plugins() {
        List<FairRescorePlugin> out = new ArrayList<>();
        for (String node : internalCluster().getNodeNames()) {
            out.add(internalCluster()
                    .getInstance(PluginsService.class, node)
                    .filterPlugins(FairRescorePlugin.class)
                    .get(0));
        }
        return out;
    }

    /** Cluster-wide sums of the rescorers' counters: stored, onTheFly, embedded, overBudget. */
    private long[] vectorCounters() {
        long[] sums = new long[4];
        for (FairRescorePlugin p : plugins()) {
            DocumentVectors.Counters c = p.rescorer().documentVectors().counters();
            sums[0] += c.stored();
            sums[1] += c.onTheFly();
            sums[2] += c.embedded();
            sums[3] += c.overBudget();
        }
        return sums;
    }

    /** Cluster-wide sums of the processors' counters: embedded, unchanged, noText. */
    private long[] embedCounters() {
        long[] sums = new long[3];
        for (FairRescorePlugin p : plugins()) {
            sums[0] += p.stats().snapshot().ingest().embedded();
            sums[1] += p.stats().snapshot().ingest().unchanged();
            sums[2] += p.stats().snapshot().ingest().noText();
        }
        return sums;
    }

    private SearchResponse rescored(String index, String queryText, boolean explain) {
        String node = randomFrom(internalCluster().getNodeNames());
        FairRescorePlugin plugin = internalCluster()
                .getInstance(PluginsService.class, node)
                .filterPlugins(FairRescorePlugin.class)
                .get(0);
        SearchResponse response = client(node)
                .prepareSearch(index)
                .setQuery(QueryBuilders.matchQuery("title", "shoes sneakers boots"))
                .setSize(40)
                .setExplain(explain)
                .addRescorer(new FairSemanticRescorerBuilder(plugin.rescorer(), queryText).semanticWeight(0.6f), 100)
                .get();
        assertNoFailures(response);
        return response;
    }

    public void testStoredVectorsAreUsedAndRankExactlyLikeOnTheFly() throws Exception {
        long[] initial = embedCounters();
        setUpIndices();
        long[] ingest = embedCounters();
        assertEquals("the processor embedded every title once", titles().size(), ingest[0] - initial[0]);

        long[] before = vectorCounters();
        SearchResponse stored = rescored(STORED, "trainers for jogging", false);
        long[] after = vectorCounters();
        long hits = stored.getHits().getTotalHits().value();
        assertTrue(hits > 30);
        assertEquals("every window hit read its stored vector", hits, after[0] - before[0]);
        assertEquals("no on-the-fly vectors", 0, after[1] - before[1]);
        assertEquals("nothing embedded on the fly", 0, after[2] - before[2]);

        SearchResponse onTheFly = rescored(ON_THE_FLY, "trainers for jogging", false);
        long[] later = vectorCounters();
        assertEquals("the other index has no vectors: every window hit embedded on the fly", hits, later[1] - after[1]);
        assertEquals(0, later[0] - after[0]);

        SearchHit[] a = stored.getHits().getHits();
        SearchHit[] b = onTheFly.getHits().getHits();
        assertEquals(a.length, b.length);
        for (int p = 0; p < a.length; p++) {
            assertEquals("position " + p, a[p].getId(), b[p].getId());
            assertEquals("score at position " + p, a[p].getScore(), b[p].getScore(), 0f);
        }

        SearchResponse explained = rescored(STORED, "trainers for jogging", true);
        for (SearchHit hit : explained.getHits().getHits()) {
            String text = hit.getExplanation().toString();
            assertTrue(text, text.contains("vector stored in [title_vector]"));
            assertEquals(hit.getScore(), hit.getExplanation().getValue().floatValue(), 0f);
        }
    }

    public void testUnchangedTextIsNotEmbeddedAgain() throws Exception {
        setUpIndices();
        long[] start = embedCounters();

        // a partial update of the price: the pipeline sees no title and embeds nothing; the vector stays
        client().prepareUpdate(STORED, "p3").setDoc(Map.of("price", 99)).get();
        long[] afterPrice = embedCounters();
        assertEquals(0, afterPrice[0] - start[0]);

        // re-indexing whole stored sources (what _reindex and _update_by_query do; those modules are not in this
        // test cluster) carries the vector and its text hash through the pipeline: nothing is embedded again
        refresh(STORED);
        SearchResponse all = client().prepareSearch(STORED).setSize(1000).get();
        assertEquals(titles().size(), all.getHits().getHits().length);
        assertAcked(client().admin()
                .indices()
                .prepareCreate("copy")
                .setSettings(Settings.builder().put("index.number_of_replicas", 0))
                .setMapping(MAPPING));
        BulkRequestBuilder again = client().prepareBulk();
        for (SearchHit hit : all.getHits().getHits()) {
            again.add(client().prepareIndex(STORED).setId(hit.getId()).setSource(hit.getSourceAsMap()));
            again.add(client().prepareIndex("copy")
                    .setId(hit.getId())
                    .setPipeline(PIPELINE)
                    .setSource(hit.getSourceAsMap()));
        }
        BulkResponse bulk = again.get();
        assertFalse(bulk.buildFailureMessage(), bulk.hasFailures());
        long[] afterReindex = embedCounters();
        assertEquals("nothing re-embedded when whole sources are indexed again", 0, afterReindex[0] - afterPrice[0]);
        assertEquals(2L * titles().size(), afterReindex[1] - afterPrice[1]);

        // a changed title is embedded again
        client().prepareUpdate(STORED, "p3")
                .setDoc(Map.of("title", "velvet slippers"))
                .get();
        assertEquals(1, embedCounters()[0] - afterReindex[0]);
        refresh(STORED);

        // every hit still has its stored vector
        long[] before = vectorCounters();
        rescored(STORED, "slippers", false);
        assertEquals(0, vectorCounters()[1] - before[1]);
    }

    public void testHitsWithoutVectorsAreEmbeddedOnTheFlyWithinTheBudget() throws Exception {
        setUpIndices();
        // documents indexed around the pipeline have no vector
        for (int i = 0; i < 3; i++) {
            client().prepareIndex(STORED)
                    .setId("plain" + i)
                    .setPipeline("_none")
                    .setSource(Map.of("title", "plain shoes " + i))
                    .get();
        }
        refresh(STORED);
        long[] before = vectorCounters();
        rescored(STORED, "shoes", false);
        long[] after = vectorCounters();
        assertEquals(3, after[1] - before[1]);
        SearchResponse response = rescored(STORED, "shoes", true);
        int onTheFly = 0;
        for (SearchHit hit : response.getHits().getHits()) {
            if (hit.getId().startsWith("plain")) {
                assertTrue(
                        hit.getExplanation().toString(),
                        hit.getExplanation()
                                .toString()
                                .contains("embedded on the fly (no vector stored in [title_vector])"));
                onTheFly++;
            }
        }
        assertEquals(3, onTheFly);

        // budget 0: those hits get a neutral cosine, and explain says why
        client().admin()
                .cluster()
                .prepareUpdateSettings()
                .setTransientSettings(Settings.builder().put("fair_rescore.max_on_the_fly_docs", 0))
                .get();
        try {
            SearchResponse capped = rescored(STORED, "shoes", true);
            for (SearchHit hit : capped.getHits().getHits()) {
                if (hit.getId().startsWith("plain")) {
                    String text = hit.getExplanation().toString();
                    assertTrue(
                            text,
                            text.contains("fair_rescore.max_on_the_fly_docs") && text.contains("neutral cosine 0"));
                }
            }
            assertTrue(vectorCounters()[3] > after[3]);
        } finally {
            client().admin()
                    .cluster()
                    .prepareUpdateSettings()
                    .setTransientSettings(Settings.builder().putNull("fair_rescore.max_on_the_fly_docs"))
                    .get();
        }
    }

    private void assertBadRequest(Request request, String... mentions) throws Exception {
        ResponseException e =
                expectThrows(ResponseException.class, () -> getRestClient().performRequest(request));
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        String text = EntityUtils.toString(e.getResponse().getEntity());
        for (String m : mentions) {
            assertTrue(text, text.contains(m));
        }
    }

    public void testBadVectorsAndMappingsAre400sNamingTheField() throws Exception {
        assertAcked(prepareCreate("vectors")
                .setSettings(Settings.builder().put("index.number_of_replicas", 0))
                .setMapping(MAPPING));
        Request wrongDims = new Request("PUT", "/vectors/_doc/1");
        wrongDims.setJsonEntity("{\"title_vector\": [0.1, 0.2, 0.3]}");
        assertBadRequest(wrongDims, "title_vector", "384 dimensions", "gives 3");

        Request notNumbers = new Request("PUT", "/vectors/_doc/2");
        StringBuilder strings = new StringBuilder("[");
        for (int i = 0; i < 384; i++) {
            strings.append(i == 0 ? "" : ",").append("\"x\"");
        }
        notNumbers.setJsonEntity("{\"title_vector\": " + strings + "]}");
        assertBadRequest(notNumbers, "title_vector", "numbers only");

        Request badMapping = new Request("PUT", "/bad_dims");
        badMapping.setJsonEntity(
                "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"fair_rescore_vector\", \"dims\": 512}}}}");
        assertBadRequest(badMapping, "[v]", "512", "bge-small-en-v15-q", "384");

        // a vector field that is not one: the rescore is refused naming the setting
        assertAcked(client().admin()
                .indices()
                .prepareUpdateSettings("vectors")
                .setSettings(Settings.builder().put("index.fair_rescore.vector_field", "title")));
        Request search = new Request("POST", "/vectors/_search");
        search.setJsonEntity(
                "{\"query\": {\"match_all\": {}}, \"rescore\": {\"fair_semantic\": {\"query_text\": \"a\"}}}");
        client().prepareIndex("vectors")
                .setId("3")
                .setSource("title", "a title")
                .setRefreshPolicy("true")
                .get();
        assertBadRequest(search, "index.fair_rescore.vector_field", "fair_rescore_vector");

        // a well-formed vector is accepted; a stored vector can be sent as a plain array
        Request ok = new Request("PUT", "/vectors/_doc/4?refresh=true");
        StringBuilder numbers = new StringBuilder("[");
        for (int i = 0; i < 384; i++) {
            numbers.append(i == 0 ? "" : ",").append(i % 7 == 0 ? "0.5" : "-0.01");
        }
        ok.setJsonEntity("{\"title\": \"x\", \"title_vector\": " + numbers + "]}");
        Response response = getRestClient().performRequest(ok);
        assertEquals(201, response.getStatusLine().getStatusCode());
        client().admin()
                .indices()
                .prepareUpdateSettings("vectors")
                .setSettings(Settings.builder().put("index.fair_rescore.vector_field", "title_vector"))
                .get();
        assertEquals(200, getRestClient().performRequest(search).getStatusLine().getStatusCode());
    }
}
