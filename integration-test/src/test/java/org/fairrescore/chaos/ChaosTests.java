package org.fairrescore.chaos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fairrescore.eval.metrics.Feasibility;
import org.fairrescore.eval.metrics.Quota;
import org.fairrescore.eval.metrics.Slot;
import org.fairrescore.reliability.Http;
import org.junit.Test;

/** The parts of the chaos tool that need no cluster: the data, the search bodies, the cap bound, the top-10 diff. */
public class ChaosTests {

    private static List<Slot> window(int length, int big) {
        List<Slot> out = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            out.add(new Slot(i < big ? "megastore" : "shop-" + i, false));
        }
        return out;
    }

    @Test
    public void theCapBoundCountsFullBlocksAndTheRest() {
        // cap 2 in 5 over 30 positions: 6 blocks of 5, at most 12 hits of one shop
        assertFalse(Load.overfull(window(30, 12)));
        assertTrue(Load.overfull(window(30, 13)));
        // 7 positions: one block (2) and a rest of 2 (2) = 4
        assertFalse(Load.overfull(window(7, 4)));
        assertTrue(Load.overfull(window(7, 5)));
        // the bound is a proof: what it calls overfull, the exact search finds infeasible
        Quota cap = new Quota.Cap(ChaosIndex.MAX_PER_SHOP, ChaosIndex.CAP_WINDOW);
        assertEquals(Feasibility.Verdict.INFEASIBLE, Feasibility.check(cap, window(7, 5), 7));
        assertEquals(Feasibility.Verdict.FEASIBLE, Feasibility.check(cap, window(7, 4), 7));
    }

    @Test
    public void documentsAreDeterministicWithOneBigShopAndALongTail() {
        assertEquals(ChaosIndex.document(41), ChaosIndex.document(41));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2300; i++) {
            counts.merge((String) ChaosIndex.document(i).get("shop"), 1, Integer::sum);
        }
        assertEquals(ChaosIndex.SHOPS.keySet(), counts.keySet());
        assertEquals(700, (int) counts.get("megastore")); // 7 of 23 weights
        assertEquals(100, (int) counts.get("kidz-corner"));
        assertTrue((double) ChaosIndex.document(9).get("tiebreak") > (double) ChaosIndex.document(8).get("tiebreak"));
    }

    @Test
    public void searchBodiesAreJsonWithTheRescoreAndOnDemandTheTiebreak() throws Exception {
        var plain = Http.JSON.readTree(ChaosIndex.search("running \"shoes\"", 30, false));
        assertEquals(30, plain.path("size").asInt());
        assertEquals("running \"shoes\"", plain.path("rescore").path("fair_semantic").path("query_text").asText());
        assertEquals(ChaosIndex.WINDOW, plain.path("rescore").path("window_size").asInt());
        assertTrue(plain.path("query").has("bool"));
        var fixed = Http.JSON.readTree(ChaosIndex.search("socks", 10, true));
        assertEquals("tiebreak", fixed.path("query").path("function_score").path("functions").path(0).path("field_value_factor")
            .path("field").asText());
    }

    @Test
    public void topTenDifferencesNameTheKey() {
        Map<String, List<String>> before = Map.of("rescore | socks | node 1", List.of("a", "b"), "pipeline | socks | node 1", List.of("c"));
        Map<String, List<String>> after = Map.of("rescore | socks | node 1", List.of("b", "a"), "pipeline | socks | node 1", List.of("c"));
        List<String> diffs = FixedQueries.differences(before, after);
        assertEquals(1, diffs.size());
        assertTrue(diffs.get(0), diffs.get(0).startsWith("rescore | socks | node 1: [a, b] -> [b, a]"));
        assertTrue(FixedQueries.anyFailed(Map.of("k", List.of("FAILED 500 ..."))));
    }
}
