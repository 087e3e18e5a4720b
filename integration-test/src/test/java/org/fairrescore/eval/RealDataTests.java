package org.fairrescore.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fairrescore.eval.data.WandsSubsetLoader;
import org.fairrescore.eval.data.WandsSubsetTests;
import org.fairrescore.reliability.Http;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The real-data run against a fake node: the indices, pipelines and searches it sends, and the section it renders. */
public class RealDataTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void configurationsCoverDefaultsSweepAndCap() {
        List<RealData.Config> configs = RealData.configs();
        assertEquals(List.of("bm25", "minilm w=0.5", "minilm default", "minilm w=1.0", "bge w=0.5", "bge default",
            "bge w=1.0", "bge default + cap"), configs.stream().map(RealData.Config::id).toList());
        RealData.Config cap = configs.get(configs.size() - 1);
        assertEquals(RealData.BGE, cap.model());
        assertNull(cap.weight());
        assertTrue(cap.capped());
        assertFalse(configs.get(0).rescored());
    }

    @Test
    public void realDataAgainstAFakeNode() throws IOException {
        WandsSubsetLoader.Subset subset = WandsSubsetLoader.load(WandsSubsetTests.fixture(tmp));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (FakeSearchNode node = new FakeSearchNode()) {
            Http client = new Http(node.url());
            EvalReport.checkModels(client);
            RealData.Results results = new RealData(client, new PrintStream(stderr, true, StandardCharsets.UTF_8))
                .run(subset, false);

            // one index per model: one shard, the vector field bound to the model, no semantic_weight (the default)
            for (String model : RealData.MODELS) {
                String index = RealData.indexName(model);
                JsonNode created = node.created.get(index);
                JsonNode settings = created.path("settings").path("index");
                assertEquals(1, settings.path("number_of_shards").asInt());
                // equal first-pass scores in the same order in every index: sorted by product id, one segment
                assertEquals("product_id", settings.path("sort").path("field").asText());
                assertTrue(node.requests.stream().anyMatch(r -> r.path().equals("/" + index + "/_forcemerge")));
                assertEquals(RealData.pipelineName(model), settings.path("default_pipeline").asText());
                JsonNode fair = settings.path("fair_rescore");
                assertEquals("[\"name\",\"product_class\"]", fair.path("text_fields").toString());
                assertEquals("embedding", fair.path("vector_field").asText());
                assertEquals("shop", fair.path("shop_field").asText());
                assertFalse(fair.has("semantic_weight"));
                assertFalse(fair.has("first_pass_saturation"));
                JsonNode vector = created.path("mappings").path("properties").path("embedding");
                assertEquals("fair_rescore_vector", vector.path("type").asText());
                assertEquals(model, vector.path("model").asText());
                assertEquals("text", created.path("mappings").path("properties").path("category").path("type").asText());
            }
            // the pipeline embeds name then product_class, one text per inference call
            JsonNode pipeline = node.requests.stream()
                .filter(r -> r.method().equals("PUT") && r.path().startsWith("/_ingest/pipeline/"))
                .map(r -> read(r.body())).findFirst().orElseThrow();
            JsonNode embed = pipeline.path("processors").get(0).path("fair_rescore_embed");
            assertEquals(List.of("name", "product_class"), fieldNames(embed.path("field_map")));
            assertEquals(1, embed.path("inference_batch").asInt());
            // the documents carry the real text and the seeded shop
            JsonNode bulk = node.requests.stream().filter(r -> r.path().equals("/_bulk")).map(r -> read(r.body()
                .split("\n")[1])).findFirst().orElseThrow();
            assertEquals(List.of("product_id", "name", "product_class", "category", "shop", "shop_tier"), fieldNames(bulk));
            assertTrue(bulk.path("product_id").isNumber());

            // searches: the first pass over name^2, product_class, category; the clause names only the query and, in
            // the sweep, the weight
            Set<String> weights = new HashSet<>();
            for (FakeSearchNode.Request r : node.requests) {
                if (r.path().endsWith("/_search") == false) {
                    continue;
                }
                JsonNode body = read(r.body());
                assertEquals("[\"name^2\",\"product_class\",\"category\"]",
                    body.path("query").path("multi_match").path("fields").toString());
                JsonNode clause = body.path("rescore").path("fair_semantic");
                if (clause.isMissingNode() == false) {
                    assertEquals(100, body.path("rescore").path("window_size").asInt());
                    assertEquals(10, body.path("size").asInt());
                    assertFalse(clause.has("fields"));
                    weights.add(clause.has("semantic_weight") ? clause.path("semantic_weight").asText() : "default");
                }
            }
            assertEquals(Set.of("default", "0.5", "1.0"), weights);
            // the cap runs on the default model's index only, which is set back to none for explain
            assertEquals(List.of("cap", "none"), node.modes.get(RealData.indexName(RealData.BGE)));
            assertEquals(List.of(), node.modes.get(RealData.indexName(RealData.MINILM)));
            // indices and pipelines are deleted at the end
            assertTrue(node.pipelines.isEmpty());
            for (String model : RealData.MODELS) {
                assertTrue(node.requests.stream().anyMatch(r -> r.method().equals("DELETE")
                    && r.path().equals("/" + RealData.indexName(model))));
            }

            // what came back
            assertTrue(results.sameFirstPass());
            assertEquals(2, results.indices().size());
            for (RealData.IndexInfo info : results.indices()) {
                assertEquals(0.8, info.defaultWeight(), 0);
                assertEquals(10.0, info.saturation(), 0);
                assertEquals(3, info.stored()); // "king poster bed" matches 2 products, "sconce" 1
                assertEquals(0, info.onTheFly());
            }
            assertEquals(2, results.hits().get("bm25").size());
            String log = stderr.toString(StandardCharsets.UTF_8);
            assertTrue(log, log.contains("indexing + embedding bge") && log.contains("real data: bge default + cap"));

            // the section
            RealDataSection section = new RealDataSection(results);
            assertEquals(8, section.summary().rows().size());
            List<String> bm25 = section.summary().rows().get(0);
            assertEquals("bm25", bm25.get(0));
            assertEquals("1.00", bm25.get(5));
            assertEquals("default (0.8)", section.summary().rows().get(2).get(2));
            assertEquals("0.5 (clause)", section.summary().rows().get(1).get(2));
            // the fake ignores the weight: every rescored ranking is BM25's, so every query ties
            assertEquals("+0.000 [+0.000, +0.000]", section.summary().rows().get(2).get(4));
            assertEquals("0 / 2 / 0", section.summary().rows().get(2).get(6));
            RealDataSection.Row first = section.rows().get("bm25");
            // "king poster bed": ranked 13 (Partial), 100 (Exact); ideal 100, 13: (1 + 2/log2 3) / (2 + 1/log2 3)
            double log3 = Math.log(3) / Math.log(2);
            assertEquals((1 + 2 / log3) / (2 + 1 / log3), first.ndcg()[0], 1e-12);
            assertEquals(1.0, first.ndcg()[1], 1e-12);
            Table perQuery = section.perQuery();
            assertEquals(3, perQuery.rows().size());
            assertEquals("king poster bed", perQuery.rows().get(0).get(0));
            assertEquals("mean", perQuery.rows().get(2).get(0));
            assertEquals(9, perQuery.rows().get(0).size());
            String md = section.markdown();
            assertTrue(md, md.contains("## " + RealDataSection.TITLE));
            assertTrue(md, md.contains("real human relevance labels"));
            assertTrue(md, md.contains("are generated, and so are their labels"));
            assertTrue(md, md.contains("seeded shops with Zipf sizes"));
            assertTrue(md, md.contains("| bge default + cap | " + RealData.BGE + ", mode cap | default (0.8) |"));
            assertTrue(md, md.contains("3 hits scored with a stored vector, 0 embedded on the fly"));
            assertTrue(section.html().contains("<h2>" + RealDataSection.TITLE + "</h2>"));
            assertFalse(md.contains("NaN"));
        }
    }

    @Test
    public void aNodeWithoutTheModelsIsRefusedNamingTheSetting() throws IOException {
        try (FakeSearchNode node = new FakeSearchNode()) {
            node.models.remove(RealData.MINILM);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EvalReport.checkModels(new Http(node.url())));
            assertTrue(e.getMessage(), e.getMessage().contains("-Efair_rescore.models=all-minilm-l6-v2-q"));
            assertTrue(e.getMessage(), e.getMessage().contains("--no-real-data"));
        }
        JsonNode broken = read("{\"nodes\":{\"a\":{\"name\":\"n\",\"models\":{\"bge-small-en-v15-q\":{\"error\":"
            + "\"model [bge-small-en-v15-q]: model.onnx is truncated\"},\"all-minilm-l6-v2-q\":{}}}}}");
        assertEquals(Map.of(RealData.BGE, "model [bge-small-en-v15-q]: model.onnx is truncated"),
            RealData.missingModels(broken));
        assertEquals(RealData.MODELS, new ArrayList<>(RealData.missingModels(read("{\"nodes\":{}}")).keySet()));
    }

    @Test
    public void optionsFindTheSharedSubsetBesideTheRepository() throws IOException {
        Path root = tmp.newFolder("work").toPath();
        Path repo = Files.createDirectories(root.resolve("checkout/integration-test"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        assertNull(EvalReport.Options.defaultWandsSubset(repo));
        Path subset = Files.createDirectories(root.resolve("shared/data/wands-subset"));
        assertEquals(subset, EvalReport.Options.defaultWandsSubset(repo));
        assertEquals(subset, EvalReport.Options.defaultWandsSubset(repo.getParent()));
        assertNull(EvalReport.Options.defaultWandsSubset(root));

        assertEquals(Path.of("/data/w"), EvalReport.Options.parse(new String[] {"--wands-subset", "/data/w"}, Map.of())
            .wandsSubset());
        // --no-real-data leaves the section out, not the subset: the replay still streams over it
        EvalReport.Options noRealData = EvalReport.Options.parse(new String[] {"--wands-subset", "/data/w",
            "--no-real-data"}, Map.of());
        assertEquals(Path.of("/data/w"), noRealData.wandsSubset());
        assertFalse(noRealData.realData());
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode read(String json) {
        try {
            return FakeSearchNode.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
