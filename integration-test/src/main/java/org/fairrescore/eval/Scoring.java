package org.fairrescore.eval;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.metrics.Awrf;
import org.fairrescore.eval.metrics.Estimate;
import org.fairrescore.eval.metrics.Exposure;
import org.fairrescore.eval.metrics.Feasibility;
import org.fairrescore.eval.metrics.Gini;
import org.fairrescore.eval.metrics.Ndcg;
import org.fairrescore.eval.metrics.Quota;
import org.fairrescore.eval.metrics.ShopShare;
import org.fairrescore.eval.metrics.Slot;
import org.fairrescore.eval.metrics.Stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the node's answers into the report's numbers. Every metric is computed on the top k of each query; a query's
 * "eligible" shops are those with at least one relevant (gain > 0) item in its judgments.
 */
final class Scoring {

    /** Quotas measured on every configuration's pages: the index's cap and share, and fair_topk as explain gave it. */
    static final List<String> QUOTAS = List.of("cap", "share", "fair_topk");

    /** One query under one configuration. */
    record QueryScore(double ndcg, double maxCountShare, double maxExposureShare, int distinctShops, double gini,
                      double awrf, double tailExposureShare, Map<String, Boolean> holds, Map<String, Double> exposure) {
    }

    /** A configuration over the query set. */
    record Summary(Configuration config, Estimate ndcg, Estimate maxCountShare, Estimate maxExposureShare,
                   Estimate distinctShops, Estimate gini, Estimate giniOverSet, Estimate awrf,
                   Estimate tailExposureShare, Map<String, Estimate> holds, Estimate cannot, int missed,
                   double tookP50, double tookP99, double roundTripP50, double roundTripP99,
                   Map<String, Double> exposureByRank, Map<String, Double> exposureByTier) {

        /** Share of queries where this configuration's own quota holds on the top k; null without a quota. */
        Estimate ownHolds() {
            return config.hasQuota() ? holds.get(config.id()) : null;
        }
    }

    /** Per quota: on how many queries no arrangement of the window meets it in the top k. */
    record QuotaFeasibility(String quota, String description, Estimate infeasible, int undetermined, int queries) {
    }

    /** Everything the renderers need. */
    record Scored(List<Summary> summaries, List<QuotaFeasibility> feasibility,
                  Map<Configuration, List<QueryScore>> perQuery, List<Evaluation.Query> queries,
                  int explainDisagreements) {
    }

    private final RunSettings settings;

    Scoring(RunSettings settings) {
        this.settings = settings;
    }

    Scored score(Evaluation.Results results) {
        List<Evaluation.Query> queries = results.queries();
        Map<String, Map<String, Item>> items = new HashMap<>();
        for (Evaluation.Query q : queries) {
            items.computeIfAbsent(q.dataset().name(), n -> {
                Map<String, Item> byId = new HashMap<>();
                q.dataset().items().forEach(i -> byId.put(i.id(), i));
                return byId;
            });
        }

        // Quotas per query (fair_topk's table comes from explain) and whether the window could meet them at all.
        List<Map<String, Quota>> quotas = new ArrayList<>();
        Map<String, Map<Integer, Feasibility.Verdict>> verdicts = new LinkedHashMap<>();
        QUOTAS.forEach(id -> verdicts.put(id, new LinkedHashMap<>()));
        int disagreements = 0;
        for (Evaluation.Query q : queries) {
            Map<String, Quota> forQuery = new LinkedHashMap<>();
            forQuery.put("cap", new Quota.Cap(settings.maxPerShop(), settings.capWindow()));
            forQuery.put("share", new Quota.Share(settings.maxShare(), settings.shareMinPrefix()));
            Searches.Explained explained = results.fairExplain().get(q.index());
            if (explained != null && explained.minimums() != null) {
                forQuery.put("fair_topk", new Quota.FairTopK(explained.minimums()));
            }
            quotas.add(forQuery);
            List<Slot> window = slots(q.dataset(), q.window());
            for (Map.Entry<String, Quota> e : forQuery.entrySet()) {
                Feasibility.Verdict v = Feasibility.check(e.getValue(), window, settings.k());
                verdicts.get(e.getKey()).put(q.index(), v);
                // The plugin's FA*IR is exact: it says "cannot be met" in the top k exactly when no arrangement can.
                if (e.getKey().equals("fair_topk")
                    && (explained.unmetPositions().isEmpty() == false) != (v == Feasibility.Verdict.INFEASIBLE)) {
                    disagreements++;
                }
            }
        }

        Map<Configuration, List<QueryScore>> perQuery = new LinkedHashMap<>();
        List<Summary> summaries = new ArrayList<>();
        for (Map.Entry<Configuration, List<Evaluation.Run>> e : results.runs().entrySet()) {
            List<QueryScore> scores = new ArrayList<>();
            for (Evaluation.Run run : e.getValue()) {
                scores.add(score(run, quotas.get(run.query().index()), items.get(run.query().dataset().name())));
            }
            perQuery.put(e.getKey(), scores);
            summaries.add(summarize(e.getKey(), e.getValue(), scores, verdicts));
        }

        List<QuotaFeasibility> feasibility = new ArrayList<>();
        for (String id : QUOTAS) {
            java.util.Collection<Feasibility.Verdict> v = verdicts.get(id).values();
            if (v.isEmpty()) {
                continue;
            }
            int infeasible = (int) v.stream().filter(x -> x == Feasibility.Verdict.INFEASIBLE).count();
            int undetermined = (int) v.stream().filter(x -> x == Feasibility.Verdict.UNDETERMINED).count();
            String description = quotas.stream().map(m -> m.get(id)).filter(java.util.Objects::nonNull).findFirst()
                .map(Quota::describe).orElse(id);
            feasibility.add(new QuotaFeasibility(id, description, Stats.proportion(infeasible, v.size() - undetermined),
                undetermined, v.size()));
        }
        return new Scored(summaries, feasibility, perQuery, queries, disagreements);
    }

    private QueryScore score(Evaluation.Run run, Map<String, Quota> quotas, Map<String, Item> items) {
        Dataset d = run.query().dataset();
        JudgedQuery judged = run.query().judged();
        int k = settings.k();
        List<Searches.Hit> top = run.hits().subList(0, Math.min(k, run.hits().size()));
        List<String> groups = new ArrayList<>();
        double[] gains = new double[top.size()];
        for (int i = 0; i < top.size(); i++) {
            groups.add(group(top.get(i)));
            gains[i] = judged.gain(top.get(i).id());
        }
        Set<String> eligible = eligibleShops(judged, items);
        Map<String, Double> exposure = Exposure.byGroup(groups, k);
        Set<String> population = new LinkedHashSet<>(eligible);
        population.addAll(exposure.keySet());
        double[] vector = population.stream().mapToDouble(g -> exposure.getOrDefault(g, 0.0)).toArray();
        double tail = 0;
        double total = 0;
        for (int i = 0; i < top.size(); i++) {
            double w = Exposure.weight(i + 1);
            total += w;
            if (d.isProtected(top.get(i).shop())) {
                tail += w;
            }
        }
        List<Slot> slots = slots(d, top);
        Map<String, Boolean> holds = new LinkedHashMap<>();
        quotas.forEach((id, quota) -> holds.put(id, quota.holds(slots, k)));
        return new QueryScore(Ndcg.at(k, gains, judged.judgedGains()), ShopShare.maxCountShare(groups, k),
            ShopShare.maxExposureShare(groups, k), ShopShare.distinct(groups, k), Gini.of(vector),
            Awrf.distance(exposure, eligible), total == 0 ? Double.NaN : tail / total, holds, exposure);
    }

    private Summary summarize(Configuration c, List<Evaluation.Run> runs, List<QueryScore> scores,
                              Map<String, Map<Integer, Feasibility.Verdict>> verdicts) {
        Map<String, Estimate> holds = new LinkedHashMap<>();
        for (String id : QUOTAS) {
            int n = 0;
            int ok = 0;
            for (QueryScore s : scores) {
                Boolean h = s.holds().get(id);
                if (h != null) {
                    n++;
                    ok += h ? 1 : 0;
                }
            }
            if (n > 0) {
                holds.put(id, Stats.proportion(ok, n));
            }
        }
        Estimate cannot = null;
        int missed = 0;
        if (c.hasQuota() && verdicts.get(c.id()).isEmpty() == false) {
            Map<Integer, Feasibility.Verdict> v = verdicts.get(c.id());
            int infeasible = 0;
            int decided = 0;
            for (int i = 0; i < runs.size(); i++) {
                Feasibility.Verdict verdict = v.get(runs.get(i).query().index());
                if (verdict == null) {
                    continue;
                }
                if (verdict != Feasibility.Verdict.UNDETERMINED) {
                    decided++;
                }
                if (verdict == Feasibility.Verdict.INFEASIBLE) {
                    infeasible++;
                } else if (verdict == Feasibility.Verdict.FEASIBLE
                    && Boolean.FALSE.equals(scores.get(i).holds().get(c.id()))) {
                    missed++;
                }
            }
            cannot = Stats.proportion(infeasible, decided);
        }
        List<Double> took = new ArrayList<>();
        List<Double> roundTrip = new ArrayList<>();
        for (Evaluation.Run r : runs) {
            for (long t : r.tookMillis()) {
                took.add((double) t);
            }
            for (long t : r.roundTripMillis()) {
                roundTrip.add((double) t);
            }
        }
        double[] tookArray = took.stream().mapToDouble(Double::doubleValue).toArray();
        double[] rtArray = roundTrip.stream().mapToDouble(Double::doubleValue).toArray();
        return new Summary(c, mean(scores, QueryScore::ndcg), mean(scores, QueryScore::maxCountShare),
            mean(scores, QueryScore::maxExposureShare), mean(scores, s -> s.distinctShops()),
            mean(scores, QueryScore::gini), giniOverSet(runs, scores), mean(scores, QueryScore::awrf),
            mean(scores, QueryScore::tailExposureShare), holds, cannot, missed,
            Stats.percentile(tookArray, 50), Stats.percentile(tookArray, 99), Stats.percentile(rtArray, 50),
            Stats.percentile(rtArray, 99), exposureByRank(runs, scores), exposureByTier(runs));
    }

    private static Estimate mean(List<QueryScore> scores, java.util.function.ToDoubleFunction<QueryScore> f) {
        return Stats.meanCi(scores.stream().mapToDouble(f).toArray());
    }

    /**
     * Gini of shop exposure summed over the whole query set (shops of different datasets are different shops), over
     * every shop eligible for some query or exposed by some page; 95% jackknife interval over queries.
     */
    private Estimate giniOverSet(List<Evaluation.Run> runs, List<QueryScore> scores) {
        List<Map<String, Double>> exposure = new ArrayList<>();
        List<Set<String>> eligible = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Evaluation.Query q = runs.get(i).query();
            String prefix = q.dataset().name() + "/";
            Map<String, Double> e = new LinkedHashMap<>();
            scores.get(i).exposure().forEach((g, v) -> e.put(prefix + g, v));
            exposure.add(e);
            Map<String, Item> byId = new HashMap<>();
            q.dataset().items().forEach(it -> byId.put(it.id(), it));
            Set<String> el = new LinkedHashSet<>();
            eligibleShops(q.judged(), byId).forEach(g -> el.add(prefix + g));
            eligible.add(el);
        }
        return Stats.jackknife(runs.size(), picks -> {
            Map<String, Double> sum = new HashMap<>();
            Set<String> population = new LinkedHashSet<>();
            for (int i : picks) {
                exposure.get(i).forEach((g, v) -> sum.merge(g, v, Double::sum));
                population.addAll(eligible.get(i));
            }
            population.addAll(sum.keySet());
            return Gini.of(population.stream().mapToDouble(g -> sum.getOrDefault(g, 0.0)).toArray());
        });
    }

    /** Share of all top-k exposure going to shops by size rank in their catalog, in doubling buckets. */
    private static Map<String, Double> exposureByRank(List<Evaluation.Run> runs, List<QueryScore> scores) {
        Map<String, Double> buckets = new LinkedHashMap<>();
        int maxRank = 1;
        Map<String, Map<String, Integer>> ranks = new HashMap<>();
        for (Evaluation.Run r : runs) {
            Map<String, Integer> rk = ranks.computeIfAbsent(r.query().dataset().name(), n -> r.query().dataset().shopRanks());
            maxRank = Math.max(maxRank, rk.size());
        }
        for (String label : rankBuckets(maxRank)) {
            buckets.put(label, 0.0);
        }
        double total = 0;
        for (int i = 0; i < runs.size(); i++) {
            Map<String, Integer> rk = ranks.get(runs.get(i).query().dataset().name());
            for (Map.Entry<String, Double> e : scores.get(i).exposure().entrySet()) {
                Integer rank = rk.get(e.getKey());
                String label = rank == null ? "no shop" : bucketOf(rank, maxRank);
                buckets.merge(label, e.getValue(), Double::sum);
                total += e.getValue();
            }
        }
        double t = total;
        buckets.replaceAll((label, v) -> t == 0 ? 0 : v / t);
        if (buckets.getOrDefault("no shop", 0.0) == 0) {
            buckets.remove("no shop");
        }
        return buckets;
    }

    /** Labels of the doubling rank buckets 1, 2–3, 4–7, ... up to maxRank. */
    static List<String> rankBuckets(int maxRank) {
        List<String> labels = new ArrayList<>();
        for (int lo = 1; lo <= maxRank; lo *= 2) {
            int hi = Math.min(maxRank, 2 * lo - 1);
            labels.add(lo == hi ? Integer.toString(lo) : lo + "–" + hi);
        }
        return labels;
    }

    static String bucketOf(int rank, int maxRank) {
        int lo = Integer.highestOneBit(rank);
        int hi = Math.min(maxRank, 2 * lo - 1);
        return lo == hi ? Integer.toString(lo) : lo + "–" + hi;
    }

    /** Share of all top-k exposure going to each shop tier (head, mid, tail). */
    private Map<String, Double> exposureByTier(List<Evaluation.Run> runs) {
        Map<String, Double> tiers = new LinkedHashMap<>();
        double total = 0;
        for (Evaluation.Run run : runs) {
            Dataset d = run.query().dataset();
            List<Searches.Hit> hits = run.hits();
            for (int p = 0; p < Math.min(settings.k(), hits.size()); p++) {
                double w = Exposure.weight(p + 1);
                tiers.merge(d.tier(hits.get(p).shop()), w, Double::sum);
                total += w;
            }
        }
        double t = total;
        tiers.replaceAll((tier, v) -> t == 0 ? 0 : v / t);
        return tiers;
    }

    static Set<String> eligibleShops(JudgedQuery q, Map<String, Item> items) {
        Set<String> eligible = new LinkedHashSet<>();
        q.gains().forEach((id, g) -> {
            Item item = items.get(id);
            if (g > 0 && item != null) {
                eligible.add(item.group());
            }
        });
        return eligible;
    }

    static String group(Searches.Hit hit) {
        return hit.shop() != null ? hit.shop() : "(no shop) " + hit.id();
    }

    static List<Slot> slots(Dataset d, List<Searches.Hit> hits) {
        List<Slot> out = new ArrayList<>(hits.size());
        for (Searches.Hit h : hits) {
            out.add(new Slot(group(h), d.isProtected(h.shop())));
        }
        return out;
    }
}
