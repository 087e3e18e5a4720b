package org.fairrescore.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;

import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The paired table, the "what got worse" list and the strata on a hand-worked set of three queries. */
public class PairedAndStrataTests {

    private static final double L3 = 1 / (Math.log(3) / Math.log(2)); // the discount of rank 2: 1/log2(3)

    /**
     * Shops by size: s1 3 items (head: nothing before it), s2 2 (mid: 3 of 6 before it), s3 1 (tail: 5 of 6 before).
     * k = 2. q0 {a1: 2, c1: 1}: base [a1, c1] NDCG 1, other [c1, a1] (1 + 2 L3) / (2 + L3). q1 {b1: 1}: base
     * [a2, b1] L3, other [b1, a2] 1. q2 {a3: 2}: both [a3, b2], 1.
     */
    static QuerySet set() {
        List<Item> items = List.of(new Item("a1", "first a", "", "s1"), new Item("a2", "second a", "", "s1"),
            new Item("a3", "third a", "", "s1"), new Item("b1", "first b", "", "s2"), new Item("b2", "second b", "", "s2"),
            new Item("c1", "only c", "", "s3"));
        JudgedQuery q0 = new JudgedQuery("0", "q zero", Map.of("a1", 2.0, "c1", 1.0));
        JudgedQuery q1 = new JudgedQuery("1", "q one", Map.of("b1", 1.0));
        JudgedQuery q2 = new JudgedQuery("2", "q two", Map.of("a3", 2.0));
        Dataset d = new Dataset("hand", "hand-worked", items, List.of(q0, q1, q2), Map.of());
        List<QuerySet.Entry> entries = List.of(new QuerySet.Entry(q0, d, "head", 0.5),
            new QuerySet.Entry(q1, d, "torso", 0.3), new QuerySet.Entry(q2, d, "tail", 0.2));
        Map<String, List<List<Searches.Hit>>> hits = Map.of(
            "base", List.of(hits("a1:s1", "c1:s3"), hits("a2:s1", "b1:s2"), hits("a3:s1", "b2:s2")),
            "other", List.of(hits("c1:s3", "a1:s1"), hits("b1:s2", "a2:s1"), hits("a3:s1", "b2:s2")));
        return new QuerySet("hand-worked", false, List.of("base", "other"), entries, hits, 2,
            g -> "gain " + g, "by hand.");
    }

    private static List<Searches.Hit> hits(String... idShop) {
        return java.util.Arrays.stream(idShop).map(s -> new Searches.Hit(s.split(":")[0], s.split(":")[1])).toList();
    }

    @Test
    public void pairedDifferencesSignTestAndTheWorstQuery() {
        QuerySet set = set();
        double q0 = (1 + 2 * L3) / (2 + L3);
        assertEquals(q0, set.ndcg("other")[0], 1e-12);
        assertEquals(L3, set.ndcg("base")[1], 1e-12);
        PairedSection s = new PairedSection(set, List.of(new PairedSection.Pair("base", "other", true)));
        PairedSection.Row r = s.rows().get(0);
        assertEquals(((q0 - 1) + (1 - L3) + 0) / 3, r.comparison().meanDiff(), 1e-12);
        assertEquals(1, r.comparison().wins());
        assertEquals(1, r.comparison().ties());
        assertEquals(1, r.comparison().losses());
        assertEquals(1, r.signP(), 0); // 1 against 1: p = min(1, 2 * 3/4)
        assertEquals(List.of(0), PairedSection.worst(r.diffs(), 3));
        List<List<String>> paired = s.paired().rows();
        assertEquals("other vs base", paired.get(0).get(0));
        assertEquals("1 / 1 / 1", paired.get(0).get(5));
        List<List<String>> worse = s.worse().rows();
        assertEquals(PairedSection.TOP, worse.size()); // one lost query, five positions
        assertEquals("other vs base: \"q zero\"", worse.get(0).get(0));
        assertEquals("1.000 → 0.860 (-0.140)", worse.get(0).get(1));
        assertEquals("s1 · first a · gain 2.0", worse.get(0).get(3));
        assertEquals("s3 · only c · gain 1.0", worse.get(0).get(4));
        assertEquals("—", worse.get(2).get(3)); // k = 2: nothing at rank 3
    }

    @Test
    public void largestFirstLossesAndNoLoss() {
        assertEquals(List.of(2, 0), PairedSection.worst(new double[] {-0.1, 0.2, -0.3, 0, -1e-12}, 3));
        QuerySet set = set();
        PairedSection same = new PairedSection(set, List.of(new PairedSection.Pair("base", "base", true)));
        assertTrue(same.worse().rows().get(0).get(0).contains("no query lost"));
    }

    @Test
    public void strataAndShopTiersByHand() {
        StrataSection s = new StrataSection(set());
        // tail tier = s3 (item c1): only q0 has tail items; base [a1, c1] -> gains [0, 1], ideal [1]: L3
        double[] tail = s.tierNdcg("base", "tail");
        assertEquals(L3, tail[0], 1e-12);
        assertTrue(Double.isNaN(tail[1]) && Double.isNaN(tail[2]));
        assertEquals(1, s.tierNdcg("other", "tail")[0], 1e-12);
        assertEquals(1, s.tierRecall("base", "tail")[0], 0);
        // mid tier = s2: q1's b1 is found by both at rank 2 / 1: recall 1 each; q0 and q2 have no relevant mid item
        assertEquals(1, s.tierRecall("base", "mid")[1], 0);
        assertTrue(Double.isNaN(s.tierRecall("base", "mid")[0]));
        // base NDCG [1, L3, 1]; strata head/torso/tail weighted 0.5/0.3/0.2
        List<List<String>> q = s.queryStrata().rows();
        assertEquals(List.of("(queries; share of traffic)", "n=1; 50.0%", "n=1; 30.0%", "n=1; 20.0%",
            "each query 1/3", "each stratum its traffic share"), q.get(0));
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f", (2 + L3) / 3), q.get(1).get(4));
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f", 0.5 + 0.3 * L3 + 0.2), q.get(1).get(5));
        List<List<String>> t = s.shopTiers().rows();
        assertEquals("n=1", t.get(0).get(3)); // tail: only q0 has relevant tail items
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f", L3), t.get(1).get(3)); // base tail NDCG
    }

    @Test
    public void zipfTrafficSumsToOneAndFollowsTheReplayStream() {
        double[] p = QuerySet.zipfTraffic(20);
        assertEquals(1, java.util.Arrays.stream(p).sum(), 1e-12);
        int top = ZipfStream.ranks(20, Replay.STREAM_SEED)[0];
        assertEquals(1 / java.util.stream.IntStream.rangeClosed(1, 20).mapToDouble(r -> 1.0 / r).sum(), p[top], 1e-12);
    }
}
