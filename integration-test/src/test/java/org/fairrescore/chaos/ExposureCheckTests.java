package org.fairrescore.chaos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fairrescore.reliability.Http;
import org.junit.Test;

/** The parts of the exposure check that need no cluster: views at one instant, expected totals, the lost tail. */
public class ExposureCheckTests {

    private static final long HOUR = 3_600_000L;

    private static ExposureCheck.View view(int node, long asOf, double aExposure, double aMerit, double bExposure, double bMerit) {
        Map<String, double[]> shops = new HashMap<>();
        shops.put("a", new double[] {aExposure, aMerit});
        shops.put("b", new double[] {bExposure, bMerit});
        return new ExposureCheck.View(node, asOf, HOUR, aExposure + bExposure, aMerit + bMerit, shops);
    }

    @Test
    public void aViewIsParsedFromTheLocalGet() throws Exception {
        var json = Http.JSON.readTree("""
            {"index": "chaos-exposure", "settings": {"half_life": "30m"}, "as_of_in_millis": 1000,
             "totals": {"exposure": 3.5, "merit": 2.0},
             "shops": [{"shop": "a", "exposure": 3.0, "merit": 1.5}, {"shop": "b", "exposure": 0.5, "merit": 0.5}]}""");
        ExposureCheck.View v = ExposureCheck.View.parse(2, json);
        assertEquals(2, v.node());
        assertEquals(1000, v.asOf());
        assertEquals(30 * 60_000L, v.halfLifeMillis());
        assertEquals(3.5, v.exposure(), 0);
        assertEquals(1.5, v.shops().get("a")[1], 0);
    }

    @Test
    public void halfLivesReadAsThePluginPrintsThem() {
        assertEquals(HOUR, ExposureCheck.halfLife("1h"));
        assertEquals(1000L * 86_400_000L, ExposureCheck.halfLife("1000d"));
        assertEquals(500, ExposureCheck.halfLife("500ms"));
        assertEquals(90_000, ExposureCheck.halfLife("90s"));
        assertEquals(30 * 60_000L, ExposureCheck.halfLife("30m"));
    }

    @Test
    public void viewsDecayedToDifferentInstantsAreTheSameLedger() {
        ExposureCheck.View early = view(1, 0, 10, 2, 5, 1);
        double f = Math.pow(2, -0.5); // half an hour later
        ExposureCheck.View later = view(2, HOUR / 2, 10 * f, 2 * f, 5 * f, 1 * f);
        assertEquals(0, ExposureCheck.difference(early, later), 1e-12);
        ExposureCheck.View missing = view(3, HOUR / 2, 10 * f, 2 * f, 5 * f - 0.29, 1 * f);
        assertTrue(ExposureCheck.difference(later, missing) > ExposureCheck.TOLERANCE);
        assertTrue(ExposureCheck.spread(List.of(early, later, missing)) > ExposureCheck.TOLERANCE);
        assertEquals(0, ExposureCheck.spread(List.of(early, later)), 1e-12);
        // a shop only one view knows
        ExposureCheck.View extra = early.at(0);
        extra.shops().put("c", new double[] {1, 0});
        assertTrue(ExposureCheck.difference(early, extra) > ExposureCheck.TOLERANCE);
    }

    @Test
    public void expectedTotalsDecayEachSearchFromItsOwnTime() {
        double page = ExposureCheck.pageExposure(10);
        assertEquals(1 + 1 / (Math.log(3) / Math.log(2)) + 0.5, ExposureCheck.pageExposure(3), 1e-12);
        List<ExposureCheck.Served> stream = List.of(new ExposureCheck.Served(0, 0, 1, page), new ExposureCheck.Served(HOUR, HOUR, 2, page));
        double[] at = ExposureCheck.expected(stream, HOUR, HOUR);
        assertEquals(page * 1.5, at[0], 1e-9);
        assertEquals(1.5, at[1], 1e-12);
        ExposureCheck.View v = new ExposureCheck.View(1, HOUR, HOUR, page * 1.5, 1.5, Map.of());
        assertTrue(ExposureCheck.holds(v, stream));
        assertFalse(ExposureCheck.holds(new ExposureCheck.View(1, HOUR, HOUR, page * 1.5 - 0.29, 1.5, Map.of()), stream));
        // a view no sync ever built (as_of 0, nothing in it) holds nothing, even though the stream is worth "infinity" then
        List<ExposureCheck.Served> now = List.of(new ExposureCheck.Served(1_765_000_000_000L, 1_765_000_000_000L, 1, page));
        assertFalse(ExposureCheck.holds(new ExposureCheck.View(1, 0, HOUR, 0, 0, Map.of()), now));
    }

    @Test
    public void aSearchIsCreditedBetweenItsSendingAndItsAnswer() {
        // 100 searches, each answered 50 ms after it was sent: the nodes credit them in between, so a view may hold a
        // little less than when credited at the answers (1e-5 of a 1h half-life), never less than when sent
        List<ExposureCheck.Served> stream = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stream.add(new ExposureCheck.Served(i * 100L, i * 100L + 50, 1 + i % 2, 4.5));
        }
        long t = 20_000;
        double[] high = ExposureCheck.expected(stream, t, HOUR);
        double[] low = ExposureCheck.earliest(stream, t, HOUR);
        assertTrue(high[0] - low[0] > ExposureCheck.TOLERANCE * high[0]);
        double[] mid = {(high[0] + low[0]) / 2, (high[1] + low[1]) / 2};
        assertTrue(ExposureCheck.holds(new ExposureCheck.View(1, t, HOUR, mid[0], mid[1], Map.of()), stream));
        assertFalse("one search missing", ExposureCheck.holds(new ExposureCheck.View(1, t, HOUR, mid[0] - 4.5, mid[1] - 1, Map.of()), stream));
    }

    @Test
    public void aLossIsMatchedToTheKilledNodesLastSearches() {
        List<ExposureCheck.Served> stream = List.of(new ExposureCheck.Served(0, 0, 1, 4), new ExposureCheck.Served(0, 0, 2, 3),
            new ExposureCheck.Served(0, 0, 1, 4), new ExposureCheck.Served(0, 0, 2, 2), new ExposureCheck.Served(0, 0, 1, 4));
        assertEquals(0, ExposureCheck.lostTail(stream, 2, 0, 1e-3, 0, HOUR));
        assertEquals(1, ExposureCheck.lostTail(stream, 2, 2, 1e-3, 0, HOUR));
        assertEquals(2, ExposureCheck.lostTail(stream, 2, 5.0001, 1e-3, 0, HOUR));
        assertEquals(-1, ExposureCheck.lostTail(stream, 2, 4, 1e-3, 0, HOUR));
        assertEquals(-1, ExposureCheck.lostTail(stream, 2, 9, 1e-3, 0, HOUR));
    }

    @Test
    public void shopsAreZipfLikeAndTheIndexIsAmortized() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < ExposureCheck.DOCS; i++) {
            counts.merge(ExposureCheck.shopOf(i), 1, Integer::sum);
        }
        assertTrue(counts.toString(), counts.size() >= 30);
        assertTrue(counts.toString(), counts.get("shop-01") > 3 * counts.getOrDefault("shop-10", 0));
        var settings = Http.JSON.readTree(ExposureCheck.settings());
        assertEquals("amortized", settings.path("settings").path("index").path("fair_rescore").path("exposure").path("mode").asText());
        assertEquals(1, settings.path("settings").path("index").path("number_of_replicas").asInt());
        var search = Http.JSON.readTree(ExposureCheck.search("socks"));
        assertEquals(ExposureCheck.PAGE, search.path("size").asInt());
        assertEquals("socks", search.path("rescore").path("fair_semantic").path("query_text").asText());
    }
}
