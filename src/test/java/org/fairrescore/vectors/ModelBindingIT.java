package org.fairrescore.vectors;

import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.fairrescore.plugin.FairRescoreIntegTestCase;
import org.fairrescore.plugin.FairRescorePlugin;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.plugins.PluginsService;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.List;
import java.util.Map;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

/**
 * Two nodes that load two English models of 384 dimensions (the default bge-small-en and MiniLM): vectors are bound
 * to the model of their field, queries are embedded with that model, and vectors of two models are never compared
 * (the bug where a node that switched models scored MiniLM vectors against bge query vectors, silently). A search
 * needing a model the nodes do not load is a 400 naming the model and the setting.
 */
@OpenSearchIntegTestCase.ClusterScope(
        scope = OpenSearchIntegTestCase.Scope.SUITE,
        numDataNodes = 2,
        numClientNodes = 0,
        supportsDedicatedMasters = false)
public class ModelBindingIT extends FairRescoreIntegTestCase {

    private static final String MINILM = "all-minilm-l6-v2-q";
    private static final String BGE_EN = "bge-small-en-v15-q";

    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        return Settings.builder()
                .put(super.nodeSettings(nodeOrdinal))
                .putList(FairRescoreSettings.MODELS.getKey(), MINILM)
                .build();
    }

    private static Map<String, Object> search(String index, String clause) throws Exception {
        return rest(
                "POST",
                "/" + index + "/_search",
                "{\"explain\": true, \"size\": 5, \"query\": {\"match\": {\"title\": \"sofa\"}}, \"rescore\": {\"window_size\": 10, \"fair_semantic\": "
                        + clause + "}}");
    }

    @SuppressWarnings("unchecked")
    private static List<String> explanations(Map<String, Object> response) {
        List<Map<String, Object>> hits =
                (List<Map<String, Object>>) ((Map<String, Object>) response.get("hits")).get("hits");
        assertFalse("no hits", hits.isEmpty());
        return hits.stream().map(h -> String.valueOf(h.get("_explanation"))).toList();
    }

    private long statsSum(String section, String counter) {
        long sum = 0;
        for (String node : internalCluster().getNodeNames()) {
            FairRescorePlugin plugin = internalCluster()
                    .getInstance(PluginsService.class, node)
                    .filterPlugins(FairRescorePlugin.class)
                    .get(0);
            var s = plugin.stats().snapshot();
            sum += switch (section + "." + counter) {
                case "documents.stored" -> s.documents().stored();
                case "documents.model_mismatch" -> s.documents().modelMismatch();
                default -> throw new IllegalArgumentException(section + "." + counter);
            };
        }
        return sum;
    }

    public void testVectorsAreScoredOnlyAgainstQueriesOfTheirModel() throws Exception {
        rest(
                "PUT",
                "/_ingest/pipeline/embed-minilm",
                "{\"processors\": [{\"fair_rescore_embed\": {\"field_map\": {\"title\": \"v\"}}}]}");
        assertAcked(prepareCreate("furniture")
                .setSettings(Settings.builder()
                        .put("index.number_of_shards", 2)
                        .put("index.number_of_replicas", 0)
                        .put("index.fair_rescore.vector_field", "v")
                        .put("index.default_pipeline", "embed-minilm"))
                .setMapping(
                        "{\"properties\": {\"title\": {\"type\": \"text\"}, \"v\": {\"type\": \"fair_rescore_vector\", \"model\": \""
                                + MINILM + "\"}}}"));
        for (String title : List.of("grey velvet sofa", "oak sofa table", "leather sofa bed", "sofa cushion covers")) {
            rest("POST", "/furniture/_doc?refresh=true", "{\"title\": \"" + title + "\"}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> doc =
                (Map<String, Object>) rest("GET", "/furniture/_search?size=1", "{\"query\": {\"match_all\": {}}}")
                        .get("hits");
        assertTrue(
                "the processor embedded with the field's model: " + doc,
                doc.toString().contains("model=" + MINILM));

        // the node's default model is bge-small-en, the field holds MiniLM vectors: the query is embedded with MiniLM
        long stored = statsSum("documents", "stored");
        for (String explanation : explanations(search("furniture", "{\"query_text\": \"couch\"}"))) {
            assertTrue(
                    explanation,
                    explanation.contains("with the vector stored in [v], model [" + MINILM
                            + "] (the model of the searched indices"));
        }
        assertTrue(statsSum("documents", "stored") > stored);

        // a clause that names bge-small-en: the MiniLM vectors are not compared, the hits are embedded with bge on the
        // fly
        long mismatched = statsSum("documents", "model_mismatch");
        for (String explanation :
                explanations(search("furniture", "{\"query_text\": \"couch\", \"model\": \"" + BGE_EN + "\"}"))) {
            assertTrue(
                    explanation,
                    explanation.contains(
                            "the vector stored in [v] was made by model [" + MINILM + "], not by the query's model"));
            assertTrue(explanation, explanation.contains("embedded on the fly"));
            assertTrue(explanation, explanation.contains("model [" + BGE_EN + "] (named by the clause's [model])"));
        }
        assertTrue(statsSum("documents", "model_mismatch") > mismatched);

        // a vector of another model is refused at index time
        ResponseException foreign = expectThrows(
                ResponseException.class,
                () -> rest(
                        "POST",
                        "/furniture/_doc?pipeline=_none",
                        "{\"title\": \"x\", \"v\": {\"model\": \"" + BGE_EN + "\", \"vector\": " + zeros(384) + "}}"));
        assertEquals(400, foreign.getResponse().getStatusLine().getStatusCode());
        String reason = EntityUtils.toString(foreign.getResponse().getEntity());
        assertTrue(
                reason,
                reason.contains("field [v] holds vectors of model [" + MINILM + "], but this vector was made by model ["
                        + BGE_EN + "]"));
    }

    public void testAModelTheNodesDoNotLoadIsA400NamingItAndTheSetting() throws Exception {
        // bge-small-zh is bundled (so the mapping is valid) but these nodes do not load it
        assertAcked(
                prepareCreate("chinese")
                        .setSettings(Settings.builder()
                                .put("index.number_of_replicas", 0)
                                .put("index.fair_rescore.vector_field", "v"))
                        .setMapping(
                                "{\"properties\": {\"title\": {\"type\": \"text\"}, \"v\": {\"type\": \"fair_rescore_vector\", \"model\": \"bge-small-zh-v15-q\"}}}"));
        rest("POST", "/chinese/_doc?refresh=true", "{\"title\": \"sofa\"}");
        Request request = new Request("POST", "/chinese/_search");
        request.setJsonEntity(
                "{\"query\": {\"match\": {\"title\": \"sofa\"}}, \"rescore\": {\"fair_semantic\": {\"query_text\": \"sofa\"}}}");
        ResponseException e =
                expectThrows(ResponseException.class, () -> getRestClient().performRequest(request));
        assertEquals(400, e.getResponse().getStatusLine().getStatusCode());
        String reason = EntityUtils.toString(e.getResponse().getEntity());
        assertTrue(reason, reason.contains("needs model [bge-small-zh-v15-q]"));
        assertTrue(reason, reason.contains("add [bge-small-zh-v15-q] to [fair_rescore.models]"));

        // and an unknown model in a mapping is refused when the index is created
        Request unknown = new Request("PUT", "/unknown-model");
        unknown.setJsonEntity(
                "{\"mappings\": {\"properties\": {\"v\": {\"type\": \"fair_rescore_vector\", \"model\": \"e5-large\"}}}}");
        ResponseException refused =
                expectThrows(ResponseException.class, () -> getRestClient().performRequest(unknown));
        assertEquals(400, refused.getResponse().getStatusLine().getStatusCode());
        String text = EntityUtils.toString(refused.getResponse().getEntity());
        assertTrue(text, text.contains("names model [e5-large], which this node does not know"));
    }

    private static String zeros(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(i == 0 ? "1" : "0");
        }
        return sb.append("]").toString();
    }
}
