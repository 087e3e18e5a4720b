package org.fairrescore.eval;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.metrics.Ndcg;
import org.fairrescore.eval.metrics.Strata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * One judged query set under several configurations, as the paired statistics ({@link PairedSection}) and the strata
 * ({@link StrataSection}) read it: per query its judgments, its catalog, its query stratum and its share of the
 * traffic; per configuration the top k of every query.
 *
 * @param name       what the set is (table captions)
 * @param realLabels whether the labels are human judgments (WANDS) rather than generated ones
 * @param configs    configuration ids, in report order
 * @param queries    the queries, in the order of the hit lists
 * @param hits       per configuration id, the ranked hits of each query
 * @param k          the measured page
 * @param labelName  the label a gain stands for, for the "what got worse" lists
 * @param strataRule how the query strata were formed (one line)
 */
record QuerySet(String name, boolean realLabels, List<String> configs, List<Entry> queries,
                Map<String, List<List<Searches.Hit>>> hits, int k, DoubleFunction<String> labelName,
                String strataRule) {

    /**
     * One query.
     *
     * @param stratum  head, torso or tail ({@link Strata#QUERY_STRATA})
     * @param traffic  its share of the search traffic (the weights sum to 1 over the set)
     */
    record Entry(JudgedQuery judged, Dataset dataset, String stratum, double traffic) {
    }

    QuerySet {
        configs = List.copyOf(configs);
        queries = List.copyOf(queries);
        for (String c : configs) {
            List<List<Searches.Hit>> h = hits.get(c);
            if (h == null || h.size() != queries.size()) {
                throw new IllegalArgumentException("configuration " + c + " has " + (h == null ? 0 : h.size())
                    + " rankings for " + queries.size() + " queries");
            }
        }
    }

    /** The ranked top k of a query under a configuration. */
    List<Searches.Hit> top(String config, int query) {
        List<Searches.Hit> h = hits.get(config).get(query);
        return h.subList(0, Math.min(k, h.size()));
    }

    /** NDCG@k of every query under a configuration. */
    double[] ndcg(String config) {
        double[] out = new double[queries.size()];
        for (int i = 0; i < out.length; i++) {
            JudgedQuery q = queries.get(i).judged();
            List<Searches.Hit> top = top(config, i);
            double[] gains = new double[top.size()];
            for (int r = 0; r < gains.length; r++) {
                gains[r] = q.gain(top.get(r).id());
            }
            out[i] = Ndcg.at(k, gains, q.judgedGains());
        }
        return out;
    }

    double[] traffic() {
        return queries.stream().mapToDouble(Entry::traffic).toArray();
    }

    String[] strata() {
        return queries.stream().map(Entry::stratum).toArray(String[]::new);
    }

    /** Per catalog (identity: a catalog is one object for the whole run). */
    private static final Map<Dataset, Map<String, Item>> ITEMS = java.util.Collections.synchronizedMap(
        new java.util.IdentityHashMap<>());
    private static final Map<Dataset, Map<String, String>> TIERS = java.util.Collections.synchronizedMap(
        new java.util.IdentityHashMap<>());

    /** The catalog's items by id. */
    static Map<String, Item> items(Dataset d) {
        return ITEMS.computeIfAbsent(d, x -> {
            Map<String, Item> byId = new HashMap<>();
            x.items().forEach(i -> byId.put(i.id(), i));
            return byId;
        });
    }

    /** The catalog's shop tiers by size ({@link Strata#shopTiers}); items without a shop are left out. */
    static Map<String, String> shopTiers(Dataset d) {
        return TIERS.computeIfAbsent(d, x -> new LinkedHashMap<>(Strata.shopTiers(x.shopSizes())));
    }

    /** Traffic shares of n queries: Zipf (exponent 1) over a seeded shuffle, the replay's stream model. */
    static double[] zipfTraffic(int n) {
        int[] ranks = ZipfStream.ranks(n, Replay.STREAM_SEED);
        double[] p = ZipfStream.probabilities(n, Replay.ZIPF_EXPONENT);
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            out[ranks[r]] = p[r];
        }
        return out;
    }
}
