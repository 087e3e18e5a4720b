package org.fairrescore.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.reliability.Http;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The report end to end against a fake node: the requests it sends, what it reads back, the files it writes. */
public class EvalReportTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /**
     * One big shop whose "mat" titles match the query best, four small ones: BM25's top 10 is all "bigshop" at
     * first, so the cap has to move hits.
     */
    static Dataset tiny() {
        List<Item> items = new ArrayList<>();
        Map<String, Double> gains = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            String id = String.format(java.util.Locale.ROOT, "b%02d", i);
            items.add(new Item(id, "yoga mat mat deluxe " + i, "", "bigshop"));
            gains.put(id, i < 6 ? 1.0 : 0.0);
        }
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 3; i++) {
                String id = "t" + s + i;
                items.add(new Item(id, "yoga mat " + s + i, "", "tail-" + s));
                gains.put(id, 2.0);
            }
        }
        items.add(new Item("n1", "yoga block", "", null));
        items.add(new Item("x1", "garden hose", "", "bigshop"));
        Map<String, String> tiers = new LinkedHashMap<>();
        tiers.put("bigshop", "head");
        for (int s = 0; s < 4; s++) {
            tiers.put("tail-" + s, Dataset.TAIL);
        }
        return new Dataset("tiny", "a tiny test marketplace", items,
            List.of(new JudgedQuery("q1", "yoga mat", gains), new JudgedQuery("q2", "mat", gains)), tiers);
    }

    @Test
    public void optionsParseAndValidate() {
        EvalReport.Options o = EvalReport.Options.parse(new String[] {"http://node:9201", "--seeds", "2", "--window",
            "30", "--fields", "title, description", "--configs", "cap,bm25", "--esci-gains", "S=0.2"},
            Map.of("FR_HTTP_PORT", "9999"));
        assertEquals("http://node:9201", o.baseUrl());
        assertEquals(2, o.seeds());
        assertEquals(30, o.settings().window());
        assertEquals(List.of("title", "description"), o.settings().fields());
        assertEquals(List.of(Configuration.BM25, Configuration.CAP), o.configs());
        assertEquals(0.2, o.esciGains().substitute(), 0);
        assertEquals("http://127.0.0.1:9999", EvalReport.Options.parse(new String[0], Map.of("FR_HTTP_PORT", "9999"))
            .baseUrl());
        EvalReport.Options defaults = EvalReport.Options.parse(new String[0], Map.of());
        assertEquals(4, defaults.seeds());
        assertEquals(List.of(Configuration.values()), defaults.configs());
        assertEquals(RunSettings.defaults(), defaults.settings());
        assertNull("by default the clauses name no weight: the index default is what is measured", defaults.settings().semanticWeight());
        assertTrue(defaults.settings().storedVectors());
        assertFalse(EvalReport.Options.parse(new String[] {"--on-the-fly"}, Map.of()).settings().storedVectors());
        List<Dataset> one = EvalReport.Options.parse(new String[] {"--seeds", "1", "--products", "600"}, Map.of()).datasets();
        assertEquals(1, one.size());
        assertEquals(8, one.get(0).queries().size());
        assertThrows(IllegalArgumentException.class, () -> EvalReport.Options.parse(new String[] {"--bogus"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> EvalReport.Options.parse(new String[] {"--configs", "x"},
            Map.of()));
        assertThrows(IllegalArgumentException.class, () -> EvalReport.Options.parse(new String[] {"--k", "200"},
            Map.of()));
        assertThrows(IllegalArgumentException.class, () -> EvalReport.Options.parse(
            new String[] {"--esci-examples", "e.csv"}, Map.of()));
    }

    @Test
    public void endToEndAgainstAFakeNode() throws IOException {
        assumeTrue("Java2D needs a font to draw the charts (fontconfig + e.g. fonts-dejavu-core)",
            GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0);
        // -Deval.test.out=DIR keeps the fake report for a look
        String keep = System.getProperty("eval.test.out");
        Path out = keep != null ? Path.of(keep) : tmp.getRoot().toPath().resolve("report");
        try (FakeSearchNode node = new FakeSearchNode()) {
            EvalReport.Options options = EvalReport.Options.parse(new String[] {node.url(), "--out", out.toString(),
                "--window", "30", "--max-per-shop", "2", "--cap-window", "10", "--semantic-weight", "0.6"}, Map.of());
            Dataset tiny = tiny();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            RunSettings settings = options.settings();
            PrintStream log = new PrintStream(stderr, true, StandardCharsets.UTF_8);
            Evaluation.Results results = new Evaluation(new Http(node.url()), settings, log)
                .run(List.of(tiny), options.configs(), false);
            Scoring.Scored scored = new Scoring(settings).score(results);
            Report report = new Report(new Report.Info("2024-06-11T00:00:00Z", node.url(), "OpenSearch 3.8.0, fair-rescore 0.1.0",
                List.of(tiny.description()), settings, "on the fly", 1.0), results, scored);
            report.write(out);
            new PrintStream(stdout, true, StandardCharsets.UTF_8).print(report.summary().markdown());

            // the index: one shard, every quota parameter, the tier field for fair_topk
            JsonNode fair = node.created.get("fair-eval-tiny").path("settings").path("index").path("fair_rescore");
            assertEquals(1, node.created.get("fair-eval-tiny").path("settings").path("index").path("number_of_shards").asInt());
            assertEquals("shop", fair.path("shop_field").asText());
            assertEquals("shop_tier", fair.path("protected_field").asText());
            assertEquals("tail", fair.path("protected_value").asText());
            assertEquals(0.35, fair.path("max_share").asDouble(), 0);
            // stored vectors: the embed pipeline over the embedded fields, the vector field, the default pipeline
            assertEquals("embedding", fair.path("vector_field").asText());
            assertEquals("fair-eval-tiny-embed",
                node.created.get("fair-eval-tiny").path("settings").path("index").path("default_pipeline").asText());
            assertEquals("fair_rescore_vector", node.created.get("fair-eval-tiny").path("mappings").path("properties")
                .path("embedding").path("type").asText());
            assertTrue(node.requests.stream().anyMatch(r -> r.method().equals("PUT")
                && r.path().equals("/_ingest/pipeline/fair-eval-tiny-embed")
                && readTree(r.body()).path("processors").get(0).path("fair_rescore_embed").path("field_map")
                    .path("description").asText().equals("embedding")));
            assertTrue(node.pipelines.isEmpty()); // deleted with the index
            String vectors = EvalReport.vectors(settings, results);
            assertTrue(vectors, vectors.contains("20 hits scored with a stored vector, 0 embedded on the fly"));
            // the mode is switched once per rescored configuration, in order
            assertEquals(List.of("none", "cap", "share", "fair_topk"), node.modes.get("fair-eval-tiny"));
            // a rescored search carries the window, the fields and the weight
            JsonNode rescored = node.requests.stream().filter(r -> r.path().endsWith("/_search") && r.body().contains("rescore"))
                .map(r -> readTree(r.body())).findFirst().orElseThrow();
            assertEquals(30, rescored.path("rescore").path("window_size").asInt());
            assertEquals("title", rescored.path("rescore").path("fair_semantic").path("fields").get(0).asText());
            assertEquals("description", rescored.path("rescore").path("fair_semantic").path("fields").get(1).asText());
            assertEquals(0.6, rescored.path("rescore").path("fair_semantic").path("semantic_weight").asDouble(), 0);
            // the index and its pipeline are deleted at the end
            assertEquals("DELETE", node.requests.get(node.requests.size() - 1).method());
            assertFalse(node.created.isEmpty());
            // progress went to the log
            String logText = stderr.toString(StandardCharsets.UTF_8);
            assertTrue(logText, logText.contains("indexing + embedding tiny") && logText.contains("100%"));

            // the numbers: BM25 shows bigshop's keyword-stuffed mats first, the fake cap spreads the page
            Scoring.Summary bm25 = summary(scored, Configuration.BM25);
            Scoring.Summary cap = summary(scored, Configuration.CAP);
            assertEquals(2, bm25.ndcg().n());
            assertTrue(bm25.maxCountShare().value() > 0.9);
            assertEquals(0.2, cap.maxCountShare().value(), 1e-9);
            assertEquals(1.0, cap.holds().get("cap").value(), 0);
            assertEquals(0.0, cap.cannot().value(), 0);
            assertEquals(0, cap.missed());
            assertEquals(0.0, bm25.holds().get("cap").value(), 0);
            assertTrue(cap.distinctShops().value() > bm25.distinctShops().value());
            assertTrue(cap.tailExposureShare().value() > bm25.tailExposureShare().value());
            // fair_topk's table was read from explain; the window has enough tail hits to meet it
            assertEquals(2, results.fairExplain().size());
            assertEquals(0, scored.explainDisagreements());
            assertEquals(0.0, scored.feasibility().stream().filter(f -> f.quota().equals("fair_topk")).findFirst()
                .orElseThrow().infeasible().value(), 0);
            assertEquals(3.0, bm25.tookP50(), 0);

            // the files, with the same numbers in both
            String md = Files.readString(out.resolve("report.md"));
            String html = Files.readString(out.resolve("index.html"));
            String ndcg = bm25.ndcg().format(3);
            assertTrue(md, md.contains("| bm25 | " + ndcg + " |"));
            assertTrue(html.contains("<td>" + ndcg + "</td>"));
            assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("| cap | " + cap.ndcg().format(3) + " |"));
            for (String png : List.of(Charts.NDCG_VS_SHARE, Charts.EXPOSURE_BY_RANK)) {
                BufferedImage image = ImageIO.read(out.resolve(png).toFile());
                assertEquals(Charts.WIDTH, image.getWidth());
                assertEquals(Charts.HEIGHT, image.getHeight());
                assertTrue(md.contains("](" + png + ")"));
                assertTrue(html.contains("src=\"" + png + "\""));
            }
            assertFalse(md.contains("NaN"));
        }
    }

    @Test
    public void rankBucketsDouble() {
        assertEquals(List.of("1", "2–3", "4–7", "8–15", "16–31", "32–60"), Scoring.rankBuckets(60));
        assertEquals("32–60", Scoring.bucketOf(45, 60));
        assertEquals("1", Scoring.bucketOf(1, 60));
        assertEquals("4–7", Scoring.bucketOf(7, 60));
        assertEquals(List.of("1", "2–3"), Scoring.rankBuckets(3));
    }

    @Test
    public void explainParsing() throws IOException {
        String response = """
            {"hits":{"hits":[
              {"_id":"a","_explanation":{"description":"fair_semantic: x; position 1 (first pass 3)","details":[
                {"description":"quota: kept blend rank 1 under fair_topk p=0.3 alpha=0.1 on [t]=[tail], top 1 needs 0 protected, unprotected hit"}]}},
              {"_id":"b","_explanation":{"description":"fair_semantic: x; position 2 (first pass 1)","details":[
                {"description":"quota: fair_topk p=0.3 alpha=0.1 on [t]=[tail], top 2 needs 1 protected cannot be met here, unprotected hit placed at 2 as the best remaining hit (blend rank 2)"}]}}]}}
            """;
        Searches.Explained e = Searches.explained(FakeSearchNode.JSON.readTree(response), 10);
        assertEquals(List.of(0, 1), java.util.Arrays.stream(e.minimums()).boxed().toList());
        assertEquals(List.of(2), e.unmetPositions());
        String capOnly = """
            {"hits":{"hits":[{"_id":"a","_explanation":{"description":"fair_semantic: x; position 1 (first pass 1)",
              "details":[{"description":"quota: kept blend rank 1 under cap max_per_shop=2 in cap_window=10 on [shop], shop [s]"}]}}]}}
            """;
        assertEquals(null, Searches.explained(FakeSearchNode.JSON.readTree(capOnly), 10).minimums());
        String wrongOrder = capOnly.replace("position 1", "position 2");
        assertThrows(IllegalStateException.class, () -> Searches.explained(FakeSearchNode.JSON.readTree(wrongOrder), 10));
    }

    private static Scoring.Summary summary(Scoring.Scored scored, Configuration c) {
        return scored.summaries().stream().filter(s -> s.config() == c).findFirst().orElseThrow();
    }

    private static JsonNode readTree(String body) {
        try {
            return FakeSearchNode.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
