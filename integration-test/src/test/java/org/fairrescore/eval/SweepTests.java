package org.fairrescore.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The sweep's grid, the settings it pastes, its per-query numbers and its frontiers, by hand. */
public class SweepTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void gridAndTheSettingsToPaste() {
        List<Sweep.Point> grid = Sweep.grid();
        assertEquals(4 * (1 + 3 + 3 + 3 + 3), grid.size());
        assertEquals(4, grid.stream().filter(Sweep.Point::isDefault).count()); // one per mode, at weight 0.8
        assertEquals("{\"index.fair_rescore.semantic_weight\": 0.8, \"index.fair_rescore.mode\": \"cap\", "
            + "\"index.fair_rescore.max_per_shop\": 2, \"index.fair_rescore.cap_window\": 10}",
            new Sweep.Point("cap", 0.8, 2).settingsJson());
        assertEquals("{\"index.fair_rescore.semantic_weight\": 0.5, \"index.fair_rescore.mode\": \"fair_topk\", "
            + "\"index.fair_rescore.protected_field\": \"shop_tier\", \"index.fair_rescore.protected_value\": "
            + "\"tail\", \"index.fair_rescore.protected_share\": 0.5, \"index.fair_rescore.alpha\": 0.1}",
            new Sweep.Point("fair_topk", 0.5, 0.5).settingsJson());
        assertEquals("{\"index.fair_rescore.semantic_weight\": 1.0, \"index.fair_rescore.mode\": \"none\"}",
            new Sweep.Point("none", 1.0, Double.NaN).settingsJson());
        // MMR: mode none with the lambda; never a default (lambda 1, the default, is the point of mode none)
        assertEquals("{\"index.fair_rescore.semantic_weight\": 0.8, \"index.fair_rescore.mode\": \"none\", "
            + "\"index.fair_rescore.diversity.lambda\": 0.7}", new Sweep.Point("mmr", 0.8, 0.7).settingsJson());
        assertFalse(new Sweep.Point("mmr", 0.8, 0.9).isDefault());
        assertEquals("diversity.lambda 0.7", new Sweep.Point("mmr", 0.8, 0.7).parameterCell());
        assertTrue(new Sweep.Point("share", 0.8, 0.3).isDefault());
        assertFalse(new Sweep.Point("share", 0.5, 0.3).isDefault());
        assertEquals("max_per_shop 1 / 10", new Sweep.Point("cap", 0.8, 1).parameterCell());
    }

    @Test
    public void perQueryNumbersByHand() {
        // shops: big (2 items, head), small (1 item, tail); the query's relevant item is the small shop's
        List<Item> items = List.of(new Item("a", "a", "", "big"), new Item("b", "b", "", "big"),
            new Item("c", "c", "", "small"));
        JudgedQuery q = new JudgedQuery("q", "q", Map.of("c", 2.0));
        Dataset d = new Dataset("d", "", items, List.of(q), Map.of("big", "head", "small", "tail"));
        double[] ndcg = new double[1];
        double[] share = new double[1];
        double[] tail = new double[1];
        Sweep.score(d, q, List.of(new Searches.Hit("a", "big"), new Searches.Hit("c", "small"),
            new Searches.Hit("b", "big")), 0, ndcg, share, tail);
        double w2 = 1 / (Math.log(3) / Math.log(2));
        double w3 = 0.5; // 1/log2(4)
        assertEquals(w2, ndcg[0], 1e-12); // the one relevant item at rank 2
        assertEquals((1 + w3) / (1 + w2 + w3), share[0], 1e-12); // big holds ranks 1 and 3
        assertEquals(w2 / (1 + w2 + w3), tail[0], 1e-12);
    }

    @Test
    public void frontiersTablesAndCharts() throws IOException {
        // four points: (mode, NDCG, largest share, tail share)
        List<Sweep.Result> points = List.of(
            result(new Sweep.Point("none", 0.8, Double.NaN), 0.70, 0.40, 0.10), // best NDCG: on both frontiers
            result(new Sweep.Point("cap", 0.8, 2), 0.65, 0.25, 0.20),            // on both
            result(new Sweep.Point("cap", 0.8, 3), 0.60, 0.30, 0.15),            // dominated by cap 2 on both
            result(new Sweep.Point("share", 0.5, 0.2), 0.50, 0.20, 0.15));       // lowest share: on the share one
        SweepSection s = new SweepSection(new Sweep.Results("d", 1, 3, points, 1, 2));
        assertEquals(List.of(0, 1, 3), s.shareFrontier());
        assertEquals(List.of(0, 1), s.tailFrontier());
        List<List<String>> f = s.frontier().rows();
        assertEquals(3, f.size());
        assertEquals(List.of("none", "0.8", "—", "0.700", "0.400", "0.100", "yes / yes", "plugin default",
            "{\"index.fair_rescore.semantic_weight\": 0.8, \"index.fair_rescore.mode\": \"none\"}"), f.get(0));
        assertEquals("yes / no", f.get(2).get(6));
        assertEquals(4, s.grid().rows().size());
        Path dir = tmp.newFolder("sweep").toPath();
        s.writeFiles(dir);
        assertTrue(Files.size(dir.resolve(SweepSection.CHART_SHARE)) > 1000);
        assertTrue(Files.size(dir.resolve(SweepSection.CHART_TAIL)) > 1000);
        assertTrue(s.html().contains(SweepSection.CHART_SHARE));
        assertTrue(s.markdown().contains("The frontier, with the settings to paste"));
    }

    @Test
    public void sweepOnTheRealDataIndexAgainstAFakeNode() throws IOException {
        org.fairrescore.eval.data.WandsSubsetLoader.Subset subset = org.fairrescore.eval.data.WandsSubsetLoader.load(
            org.fairrescore.eval.data.WandsSubsetTests.fixture(tmp));
        try (FakeSearchNode node = new FakeSearchNode()) {
            org.fairrescore.reliability.Http client = new org.fairrescore.reliability.Http(node.url());
            java.io.PrintStream log = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true,
                java.nio.charset.StandardCharsets.UTF_8);
            RealData run = new RealData(client, log).withSweep(new Sweep(client, log));
            run.run(subset, false);
            Sweep.Results r = run.sweepResults();
            assertEquals(Sweep.grid().size(), r.points().size());
            assertEquals(subset.dataset().queries().size(), r.queries());
            assertEquals(RealData.indexName(RealData.DEFAULT_MODEL), r.dataset());
            // the default model's index gets every point's flat settings, the exact JSON the report prints
            List<com.fasterxml.jackson.databind.JsonNode> swept = node.settingsBodies.stream()
                .filter(b -> b.has("index.fair_rescore.semantic_weight")).toList();
            assertEquals(Sweep.grid().size(), swept.size());
            for (int i = 0; i < swept.size(); i++) {
                // the JSON printed is the JSON sent
                assertEquals(EvalIndex.JSON.readTree(Sweep.grid().get(i).settingsJson()), swept.get(i));
            }
            // the index carries the tier fair_topk protects
            assertEquals("keyword", node.created.get(RealData.indexName(RealData.DEFAULT_MODEL)).path("mappings")
                .path("properties").path(RealData.TIER_FIELD).path("type").asText());
            // the fake ignores the weight: the four weights of a mode and strength give the same numbers
            SweepSection section = new SweepSection(r);
            assertEquals(r.points().get(0).meanNdcg(), r.points().get(13).meanNdcg(), 0);
            assertEquals("none", r.points().get(13).point().mode());
            // after each MMR point the lambda is set back to 1
            long resets = node.settingsBodies.stream().filter(b -> b.size() == 1 && b.has(Sweep.LAMBDA)
                && b.path(Sweep.LAMBDA).asDouble() == 1.0).count();
            assertEquals(Sweep.WEIGHTS.size() * Sweep.MMR_LAMBDAS.size(), resets);
            assertFalse(section.shareFrontier().isEmpty());
            assertTrue(section.markdown().contains("Searches "));
        }
    }

    @Test
    public void sweepAloneLoadsTheIndexAndDeletesIt() throws IOException {
        org.fairrescore.eval.data.WandsSubsetLoader.Subset subset = org.fairrescore.eval.data.WandsSubsetLoader.load(
            org.fairrescore.eval.data.WandsSubsetTests.fixture(tmp));
        try (FakeSearchNode node = new FakeSearchNode()) {
            org.fairrescore.reliability.Http client = new org.fairrescore.reliability.Http(node.url());
            java.io.PrintStream log = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true,
                java.nio.charset.StandardCharsets.UTF_8);
            Sweep.Results r = new Sweep(client, log).run(subset, false);
            String index = RealData.indexName(RealData.DEFAULT_MODEL);
            assertEquals(Sweep.grid().size(), r.points().size());
            assertTrue(node.created.containsKey(index));
            assertTrue(node.requests.stream().anyMatch(q -> q.method().equals("DELETE") && q.path().equals("/" + index)));
            assertTrue(node.pipelines.isEmpty());
        }
    }

    private static Sweep.Result result(Sweep.Point p, double ndcg, double share, double tail) {
        return new Sweep.Result(p, new double[] {ndcg}, new double[] {share}, new double[] {tail}, 0);
    }
}
