package org.fairrescore.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.data.WandsSubsetLoader;
import org.fairrescore.eval.data.WandsSubsetTests;
import org.fairrescore.reliability.Http;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The diversity run and section against the fake node, whose document vectors count title words (so all of a
 * shop's "yoga mat deluxe" titles point one way) and which demotes near duplicates when the clause asks for it.
 */
public class DiversityTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /**
     * Eight identical "yoga mat deluxe" listings of a head shop (fitness), three "yoga mat travel" of a mid shop
     * (travel) and "yoga mat cork" of four tail shops (home). The fake ranks by query words in the title, ties by id:
     * b00..b07, m0, m1 first.
     */
    static Dataset catalog() {
        List<Item> items = new ArrayList<>();
        Map<String, Double> gains = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            items.add(new Item("b0" + i, "yoga mat deluxe " + i, "", "bigshop", "fitness"));
            gains.put("b0" + i, 1.0);
        }
        for (int i = 0; i < 3; i++) {
            items.add(new Item("m" + i, "yoga mat travel " + i, "", "midshop", "travel"));
            gains.put("m" + i, 2.0);
        }
        Map<String, String> tiers = new LinkedHashMap<>(Map.of("bigshop", "head", "midshop", "mid"));
        for (int s = 0; s < 4; s++) {
            items.add(new Item("t" + s + "0", "yoga mat cork " + s, "", "tail-" + s, "home"));
            gains.put("t" + s + "0", 2.0);
            tiers.put("tail-" + s, Dataset.TAIL);
        }
        return new Dataset("div", "a catalog of near duplicates", items,
            List.of(new JudgedQuery("q1", "yoga mat", gains), new JudgedQuery("q2", "mat", gains)), tiers);
    }

    @Test
    public void configurationsAreClauseOverrides() {
        List<DiversityRun.Config> configs = DiversityRun.configs(Set.of("head", "mid", Dataset.TAIL));
        assertEquals(List.of("fair_semantic (baseline)", "MMR λ 0.8", "MMR λ 0.7", "near duplicates ≥ 0.95",
            "cap 2/10 + tail ≥ 0.3 + mid ≥ 0.2 + MMR λ 0.8 + near duplicates ≥ 0.95"),
            configs.stream().map(DiversityRun.Config::id).toList());
        // the baseline turns everything off explicitly, so no index default can creep in
        assertEquals("{\"mode\":\"none\"}", configs.get(0).quota().toString());
        assertEquals("{\"lambda\":1.0,\"duplicate_threshold\":1.0}", configs.get(0).diversity().toString());
        assertEquals("{\"lambda\":0.7,\"duplicate_threshold\":1.0}", configs.get(2).diversity().toString());
        assertEquals("{\"mode\":[\"cap\",\"group_fair_topk\"],\"max_per_shop\":2,\"cap_window\":10,"
            + "\"group_minimums\":{\"tail\":0.3,\"mid\":0.2}}", configs.get(4).quota().toString());
        // a catalog without a mid tier (the WANDS subset's seeded shops) gets the tail minimum only
        DiversityRun.Config rules = DiversityRun.configs(Set.of("head", Dataset.TAIL)).get(4);
        assertEquals(Map.of(Dataset.TAIL, 0.3), rules.minimums());
        assertEquals("cap 2/10 + tail ≥ 0.3 + MMR λ 0.8 + near duplicates ≥ 0.95", rules.id());
        // without any tier there is no group rule to combine
        assertEquals(4, DiversityRun.configs(Set.of("head")).size());
    }

    @Test
    public void storedVectorsAreReadBackInEitherForm() throws IOException {
        JsonNode object = EvalIndex.JSON.readTree("{\"_id\":\"a\",\"_source\":{\"embedding\":{\"model\":\"m\","
            + "\"vector\":[0.6,0.8]}}}");
        JsonNode array = EvalIndex.JSON.readTree("{\"_id\":\"a\",\"_source\":{\"embedding\":[1,0]}}");
        assertEquals(0.8f, DiversityRun.vector(object, "embedding")[1], 0);
        assertEquals(2, DiversityRun.vector(array, "embedding").length);
        JsonNode none = EvalIndex.JSON.readTree("{\"_id\":\"x\",\"_source\":{\"shop\":\"s\"}}");
        IllegalStateException e = org.junit.Assert.assertThrows(IllegalStateException.class,
            () -> DiversityRun.vector(none, "embedding"));
        assertTrue(e.getMessage(), e.getMessage().contains("hit x") && e.getMessage().contains("_source.embedding"));
    }

    @Test
    public void catalogsAgainstAFakeNode() throws IOException {
        try (FakeSearchNode node = new FakeSearchNode()) {
            Http client = new Http(node.url());
            PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            RunSettings settings = RunSettings.defaults();
            Evaluation evaluation = new Evaluation(client, settings, log).withDiversity(new DiversityRun(client, log,
                settings.k()));
            Evaluation.Results results = evaluation.run(List.of(catalog()), List.of(Configuration.BM25,
                Configuration.SEMANTIC), false);
            DiversityRun.Results r = evaluation.diversityResults();
            assertNotNull(r);
            assertEquals(5, r.configs().size());
            assertEquals(10, r.searches());
            assertTrue(r.categoryField(), r.categoryField().contains("3 distinct"));

            // every diversity search names the configuration's overrides and asks for the stored vectors
            List<JsonNode> searches = node.requests.stream().filter(q -> q.path().endsWith("/_search")
                && q.body().contains("\"diversity\"")).map(q -> readTree(q.body())).toList();
            assertEquals(10, searches.size());
            for (JsonNode s : searches) {
                assertEquals("[\"shop\",\"embedding\"]", s.path("_source").toString());
                assertEquals(settings.window(), s.path("rescore").path("window_size").asInt());
                assertTrue(s.path("rescore").path("fair_semantic").path("quota").has("mode"));
            }
            // consent and the group field before the searches, both reset after them
            List<JsonNode> bodies = node.settingsBodies.stream().filter(b -> b.has(DiversityRun.OVERRIDE)).toList();
            assertEquals(2, bodies.size());
            assertTrue(bodies.get(0).path(DiversityRun.OVERRIDE).asBoolean());
            assertEquals(EvalIndex.TIER_FIELD, bodies.get(0).path(DiversityRun.GROUPS_FIELD).asText());
            assertTrue(bodies.get(1).path(DiversityRun.OVERRIDE).isNull());
            assertTrue(bodies.get(1).path(DiversityRun.GROUPS_FIELD).isNull());
            // and the index is still deleted at the end
            assertEquals("DELETE", node.requests.get(node.requests.size() - 1).method());

            // baseline, both queries: b00..b07 (one direction), m0, m1 (another; cosine 2/3 to the b's, the words
            // yoga + mat of three): ILS (28 + 1 + 16 x 2/3) / 45, 8 of 10 near duplicates, 2 categories
            DiversityRun.Measured base = r.measured().get("fair_semantic (baseline)").get(0);
            assertEquals((29 + 16 * 2.0 / 3) / 45, base.ils(), 1e-6);
            assertEquals(0.8, base.nearDuplicateRate(), 1e-12);
            assertEquals(2, base.distinctCategories());
            assertEquals(10, base.hits());
            // the fake ignores MMR: same lists, same numbers
            assertEquals(base, r.measured().get("MMR λ 0.8").get(0));
            // near duplicates demoted: b00, m0, t00, then b01..b07: ILS (28 + 17 x 2/3) / 45, 7 of 10, 3 categories
            DiversityRun.Measured dedup = r.measured().get("near duplicates ≥ 0.95").get(1);
            assertEquals((28 + 17 * 2.0 / 3) / 45, dedup.ils(), 1e-6);
            assertEquals(0.7, dedup.nearDuplicateRate(), 1e-12);
            assertEquals(3, dedup.distinctCategories());
            // NDCG@10 against the judgments: the baseline's top 10 gains 1 x 8, 2, 2
            double[] gains = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2};
            double[] judged = catalog().queries().get(0).judgedGains();
            assertEquals(org.fairrescore.eval.metrics.Ndcg.at(10, gains, judged), base.ndcg(), 1e-12);

            // the section: one table, the relative ILS change and the paired NDCG difference
            DiversitySection section = new DiversitySection(List.of(r), List.of());
            String md = section.markdown();
            double change = 100 * ((28 + 17 * 2.0 / 3) / (29 + 16 * 2.0 / 3) - 1);
            assertTrue(md, md.contains(String.format(java.util.Locale.ROOT, "| near duplicates ≥ 0.95 | %s | ",
                section.table(0).rows().get(3).get(1))));
            assertEquals(String.format(java.util.Locale.ROOT, "%+.1f %% [%+.1f, %+.1f] *", change, change, change),
                section.table(0).rows().get(3).get(4));
            assertEquals("+0.0 % [+0.0, +0.0]", section.table(0).rows().get(1).get(4));
            assertEquals("+0.000 [+0.000, +0.000]", section.table(0).rows().get(1).get(2));
            assertEquals("0.800 ± 0.000", section.table(0).rows().get(0).get(6));
            assertEquals("0.700 ± 0.000", section.table(0).rows().get(3).get(6));
            assertEquals("3.00 ± 0.00", section.table(0).rows().get(3).get(5));
            assertTrue(md.contains("## " + DiversitySection.TITLE));
            assertTrue(md.contains("at least 0.95"));
            assertTrue(section.reading(0), section.reading(0).contains("near duplicates 0.800 → 0.700"));
            assertTrue(section.html().contains("<td>0.700 ± 0.000</td>"));
            assertFalse(md.contains("NaN"));

            // the whole report carries it, in both files
            Scoring.Scored scored = new Scoring(settings).score(results);
            Report report = new Report(new Report.Info("2024-06-11T00:00:00Z", node.url(), "OpenSearch 3.8.0",
                List.of("div"), settings, "stored", 1.0), results, scored, null, null, null, section);
            assertTrue(report.markdown().contains("### Diversity: 1 catalog(s) (div)"));
            assertTrue(report.html().contains("<h2>" + DiversitySection.TITLE + "</h2>"));
        }
    }

    @Test
    public void wandsSubsetAgainstAFakeNode() throws IOException {
        WandsSubsetLoader.Subset subset = WandsSubsetLoader.load(WandsSubsetTests.fixture(tmp));
        try (FakeSearchNode node = new FakeSearchNode()) {
            Http client = new Http(node.url());
            PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            RealData run = new RealData(client, log).withDiversity(new DiversityRun(client, log, RealData.K));
            run.run(subset, false);
            DiversityRun.Results r = run.diversityResults();
            assertNotNull(r);
            // the default model's index, the seeded shops' head / tail tiers: no mid minimum
            String index = RealData.indexName(RealData.DEFAULT_MODEL);
            assertTrue(node.requests.stream().filter(q -> q.body().contains("\"diversity\""))
                .allMatch(q -> q.path().equals("/" + index + "/_search")));
            assertEquals(Map.of(Dataset.TAIL, 0.3), r.configs().get(4).minimums());
            // "king poster bed" finds products 13 and 100 (both Beds), "sconce" product 55 alone: no pair, no ILS
            List<DiversityRun.Measured> base = r.measured().get("fair_semantic (baseline)");
            assertEquals(2, base.size());
            assertEquals(1, base.get(0).distinctCategories());
            assertEquals(2, base.get(0).hits());
            assertEquals(1, base.get(1).hits());
            assertTrue(Double.isNaN(base.get(1).ils()));
            assertEquals(0, base.get(1).nearDuplicateRate(), 0);
            assertTrue(r.categoryField(), r.categoryField().startsWith("WANDS product_class (4 distinct"));
            // the two beds share no title word: cosine 0, so the one measurable ILS is 0 and no ratio to it exists
            assertEquals(0, base.get(0).ils(), 1e-12);
            DiversitySection section = new DiversitySection(List.of(r), List.of());
            String md = section.markdown();
            assertTrue(md, md.contains("| fair_semantic (baseline) |"));
            assertEquals("n/a (baseline ILS not positive)", section.table(0).rows().get(1).get(4));
            assertTrue(section.reading(0), section.reading(0).contains("ILS change n/a"));
            assertFalse(md, md.contains("NaN"));
        }
    }

    private static JsonNode readTree(String body) {
        try {
            return FakeSearchNode.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
