package org.fairrescore.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.fairrescore.eval.metrics.StreamTally;
import org.fairrescore.reliability.Http;
import org.junit.Test;

/** The replay's stream, settings, ledger parsing, consistency check and the goals it reports. */
public class ReplayTests {

    @Test
    public void zipfProbabilitiesFollowOneOverRank() {
        double[] p = ZipfStream.probabilities(4, 1.0);
        double h = 1 + 0.5 + 1.0 / 3 + 0.25;
        assertArrayEquals(new double[] {1 / h, 0.5 / h, (1.0 / 3) / h, 0.25 / h}, p, 1e-12);
        // exponent 0 is uniform
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, ZipfStream.probabilities(4, 0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ZipfStream.probabilities(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ZipfStream.probabilities(3, -1));
    }

    @Test
    public void theStreamIsSeededAndZipfDistributed() {
        int n = 200_000;
        int[] a = ZipfStream.draw(n, 20, 1.0, 14);
        assertArrayEquals(a, ZipfStream.draw(n, 20, 1.0, 14));
        assertFalse(Arrays.equals(a, ZipfStream.draw(n, 20, 1.0, 15)));
        int[] counts = new int[20];
        for (int q : a) {
            counts[q]++;
        }
        // the query of each popularity rank is drawn as often as 1/r says (within 4 standard errors)
        int[] ranks = ZipfStream.ranks(20, 14);
        double[] p = ZipfStream.probabilities(20, 1.0);
        for (int r = 0; r < 20; r++) {
            double expected = n * p[r];
            double sd = Math.sqrt(n * p[r] * (1 - p[r]));
            assertEquals("rank " + (r + 1), expected, counts[ranks[r]], 4 * sd);
        }
        // the ranks are a permutation of the queries, not their file order
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        assertArrayEquals(java.util.stream.IntStream.range(0, 20).toArray(), sorted);
        assertFalse(Arrays.equals(sorted, ranks));
    }

    @Test
    public void configurationsAndTheirSettings() {
        List<Replay.Config> configs = Replay.configs();
        assertEquals(List.of("cap", "merit 0.3", "merit 0.6", "merit 1.0", "uniform 0.6"),
            configs.stream().map(Replay.Config::id).toList());
        assertFalse(configs.get(0).boosted());
        JsonNode fair = Replay.settings(configs.get(2), true).path("index").path("fair_rescore");
        assertEquals("cap", fair.path("mode").asText());
        assertEquals(2, fair.path("max_per_shop").asInt());
        assertEquals(10, fair.path("cap_window").asInt());
        assertEquals("amortized", fair.path("exposure").path("mode").asText());
        assertEquals(0.6, fair.path("exposure").path("strength").asDouble(), 0);
        assertEquals("merit", fair.path("exposure").path("target").asText());
        assertEquals("1000d", fair.path("exposure").path("half_life").asText());
        assertEquals("uniform", Replay.settings(configs.get(4), true).path("index").path("fair_rescore")
            .path("exposure").path("target").asText());
        assertEquals("off", Replay.settings(configs.get(0), false).path("index").path("fair_rescore")
            .path("exposure").path("mode").asText());
    }

    @Test
    public void optionsRefuseBadSyncIntervals() {
        assertEquals(List.of("5s", "1s"), new Replay.Options(10, 5, 0, 1, 100, false, List.of("5s", "1s"), 100)
            .syncIntervals());
        assertThrows(IllegalArgumentException.class, () -> new Replay.Options(10, 5, 0, 1, 100, false, List.of("5x"), 100));
        assertThrows(IllegalArgumentException.class, () -> new Replay.Options(10, 5, 0, 1, 100, false, List.of("50ms"), 100));
        assertThrows(IllegalArgumentException.class, () -> new Replay.Options(0, 5, 0, 1, 100, false));
        assertThrows(IllegalArgumentException.class, () -> new Replay.Options(10, 5, 0, 1, 100, false, List.of(), 0));
        // a sync interval in searches: the interval at the rate, at least 1
        Replay.Options o = new Replay.Options(10, 5, 0, 1, 100, false, List.of(), 100);
        assertEquals(500, o.searchesPerSync("5s"));
        assertEquals(100, o.searchesPerSync("1s"));
        assertEquals(1, new Replay.Options(10, 5, 0, 1, 100, false, List.of(), 2).searchesPerSync("100ms"));
    }

    @Test
    public void reportOptionsForTheReplay() {
        EvalReport.Options defaults = EvalReport.Options.parse(new String[0], Map.of());
        assertTrue(defaults.replays());
        assertFalse(defaults.replayOnly());
        assertEquals(Replay.DEFAULT_SEARCHES, defaults.replay().searches());
        assertEquals(Replay.DEFAULT_CHECKPOINT, defaults.replay().checkpoint());
        assertEquals(Replay.DEFAULT_CATALOGS, defaults.replay().catalogs());
        assertEquals(List.of(), defaults.replay().syncIntervals());
        EvalReport.Options only = EvalReport.Options.parse(new String[] {"--replay-only", "--replay-searches", "6000",
            "--replay-checkpoint", "500", "--replay-catalogs", "2", "--replay-sync-intervals", "5s, 1s", "--replay-rate", "50",
            "--first-seed", "7", "--wands-subset", "/nowhere"}, Map.of());
        assertTrue(only.replayOnly());
        assertFalse("the replay alone has no real-data section", only.realData());
        assertEquals(6000, only.replay().searches());
        assertEquals(500, only.replay().checkpoint());
        assertEquals(2, only.replay().catalogs());
        assertEquals(7, only.replay().firstSeed());
        assertEquals(List.of("5s", "1s"), only.replay().syncIntervals());
        assertEquals(50, only.replay().rate(), 0);
        assertEquals(Replay.DEFAULT_RATE, defaults.replay().rate(), 0);
        assertFalse(EvalReport.Options.parse(new String[] {"--no-replay"}, Map.of()).replays());
        assertThrows(IllegalArgumentException.class, () -> EvalReport.Options.parse(
            new String[] {"--no-replay", "--replay-only"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> EvalReport.Options.parse(
            new String[] {"--replay-searches", "0"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> EvalReport.Options.parse(
            new String[] {"--replay-catalogs", "-1"}, Map.of()));
    }

    @Test
    public void timeValues() {
        assertEquals(5000, Replay.millis("5s (default)"), 0);
        assertEquals(100, Replay.millis("100ms"), 0);
        assertEquals(60_000, Replay.millis("1m"), 0);
        assertEquals(1.5, Replay.millis("1500micros"), 1e-9);
        assertTrue(Double.isNaN(Replay.millis("?")));
    }

    @Test
    public void ledgerParsingAndConsistency() throws Exception {
        JsonNode ledger = Http.JSON.readTree("""
            {"totals":{"exposure":2.0,"merit":1.0,"shops":3,"shops_with_merit":2},
             "shops":[{"shop":"a","exposure":1.5,"merit":0.25},{"shop":"b","exposure":0.5,"merit":0.75},
                      {"shop":"c","exposure":0.0,"merit":0.0}]}""");
        Replay.Ledger l = Replay.parseLedger(ledger);
        assertEquals(Map.of("a", 1.5, "b", 0.5), l.shopExposure());
        assertEquals(Map.of("a", 0.25, "b", 0.75), l.shopMerit());
        assertEquals(3, l.shops());
        // the client saw a and b, and a third shop c the ledger lists without figures: shop counts differ
        Replay.Consistency c = Replay.Consistency.of(Map.of("a", 1.5, "b", 0.5), Map.of("a", 0.25, "b", 0.75), l);
        assertEquals(2, c.clientShops());
        assertFalse(c.holds());
        Replay.Ledger two = new Replay.Ledger(2.0, 1.0, 2, l.shopExposure(), l.shopMerit());
        assertTrue(Replay.Consistency.of(Map.of("a", 1.5, "b", 0.5), Map.of("a", 0.25, "b", 0.75), two).holds());
        // a shop's exposure off by 1e-3 of 2 fails, though the totals agree
        Replay.Consistency off = Replay.Consistency.of(Map.of("a", 1.502, "b", 0.498), Map.of("a", 0.25, "b", 0.75),
            two);
        assertFalse(off.holds());
        assertEquals(0.002, off.exposureShopDiff(), 1e-9);
        // merit off in total
        assertFalse(Replay.Consistency.of(Map.of("a", 1.5, "b", 0.5), Map.of("a", 0.25, "b", 0.8), two).holds());
        // a ledger that lists fewer shops than it counts is refused
        assertThrows(IllegalStateException.class, () -> Replay.parseLedger(Http.JSON.readTree("""
            {"totals":{"exposure":1.0,"merit":1.0,"shops":2},"shops":[{"shop":"a","exposure":1.0,"merit":1.0}]}""")));
    }

    private static StreamTally.Snapshot snap(double tvdOwn, double tvdLabel, double top3, double ndcg) {
        return new StreamTally.Snapshot(100, tvdOwn, tvdLabel, 0.5, 0.5, top3, top3, top3, 0.2, ndcg);
    }

    private static Replay.ConfigRun run(Replay.Config c, StreamTally.Snapshot s) {
        return new Replay.ConfigRun(c, List.of(s), new Replay.Consistency(1, 1, 0, 1, 1, 0, 1, 1), 1, 1, 2, 1, 2,
            Map.of("a", 1.0), Map.of("a", 1.0), 0);
    }

    @Test
    public void goalsAreCheckedAgainstCapWithTheIssuesThresholds() {
        List<Replay.Config> c = Replay.configs();
        org.fairrescore.eval.data.Dataset d = org.fairrescore.eval.data.SeededCatalogs.of(
            org.fairrescore.demo.CatalogGenerator.DEFAULT_SEED, 600);
        Replay.Target target = Replay.seeded(new Http("http://127.0.0.1:1"), System.err, d);
        // default strength: TVD 0.40 -> 0.279 is -30.25 % (met), label 0.40 -> 0.29 is -27.5 % (missed), NDCG -0.021
        // (missed); uniform: top-3 share 0.60 -> 0.419 is -30.2 % (met)
        Replay.DatasetRun run = new Replay.DatasetRun(target, "5s", new int[d.queries().size()], Replay.groups(d), 1, 8,
            new double[] {1, 1}, List.of(run(c.get(0), snap(0.40, 0.40, 0.60, 0.900)),
                run(c.get(1), snap(0.35, 0.35, 0.55, 0.895)), run(c.get(2), snap(0.279, 0.29, 0.50, 0.879)),
                run(c.get(3), snap(0.20, 0.20, 0.45, 0.85)), run(c.get(4), snap(0.30, 0.30, 0.419, 0.88))), 1);
        ReplaySection section = new ReplaySection(new Replay.Results(
            new Replay.Options(100, 100, 1, 1, 600, false), "5s (default)", 5000,
            new Replay.SyncCheck(true, 3, 3, 10.5), List.of(run), 1));
        List<ReplaySection.Goal> goals = section.goals();
        assertEquals(4, goals.size());
        assertTrue(goals.get(0).toString(), goals.get(0).met());
        assertFalse(goals.get(1).toString(), goals.get(1).met());
        assertFalse(goals.get(2).toString(), goals.get(2).met());
        assertEquals("-0.021", goals.get(2).change());
        assertTrue(goals.get(3).toString(), goals.get(3).met());
        assertEquals("-30%", goals.get(3).change());
        String md = section.markdown();
        assertTrue(md, md.contains("| " + d.name() + " @5s | merit 0.6 | 100 | 0.279 (-30%) | 0.290 (-28%) |"));
        // a node whose scheduled sync did not run is reported as a plugin bug
        assertTrue(md, md.contains("PLUGIN BUG: the node's sync count went from 3 to 3 in 10.5 s"));
        assertTrue(md, md.contains("| NO |"));
        assertFalse(md, md.contains("NaN"));
        // the seeded catalog's head tier is its 3 marketplaces, the tail its 50 specialists
        assertEquals(3, run.groups().head().size());
        assertEquals(50, run.groups().tail().size());
        assertEquals(run.groups().head(), run.groups().largest());
    }
}
