package org.fairrescore.eval;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.data.WandsSubsetLoader;
import org.fairrescore.eval.metrics.Ndcg;
import org.fairrescore.eval.metrics.PairedBootstrap;
import org.fairrescore.eval.metrics.Quota;
import org.fairrescore.eval.metrics.ShopShare;
import org.fairrescore.eval.metrics.Stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's section on real data: per configuration the mean NDCG@10 over the WANDS subset's human-labelled
 * queries, the paired difference to BM25 with a bootstrap interval, the ratio, wins / ties / losses, and the shop
 * numbers under the seeded shops; and the per-query NDCG@10 table.
 */
final class RealDataSection {

    static final String TITLE = "Real data: WANDS subset (human labels)";

    /** One configuration's numbers. */
    record Row(RealData.Config config, double[] ndcg, PairedBootstrap.Comparison vsBm25, double maxShopShare,
               int capHolds) {
    }

    private final RealData.Results results;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final QuerySet set;
    private final PairedSection paired;
    private final StrataSection strata;

    RealDataSection(RealData.Results results) {
        this.results = results;
        Dataset d = results.subset().dataset();
        List<JudgedQuery> queries = d.queries();
        Quota cap = new Quota.Cap(RealData.MAX_PER_SHOP, RealData.CAP_WINDOW);
        double[] bm25 = null;
        for (RealData.Config c : results.configs()) {
            List<List<Searches.Hit>> hits = results.hits().get(c.id());
            if (hits == null || hits.size() != queries.size()) {
                throw new IllegalStateException("configuration " + c.id() + " has " + (hits == null ? 0 : hits.size())
                    + " answers for " + queries.size() + " queries");
            }
            double[] ndcg = new double[queries.size()];
            double share = 0;
            int holds = 0;
            for (int i = 0; i < queries.size(); i++) {
                ndcg[i] = ndcg(queries.get(i), hits.get(i));
                List<Searches.Hit> top = hits.get(i).subList(0, Math.min(RealData.K, hits.get(i).size()));
                share += ShopShare.maxCountShare(top.stream().map(Scoring::group).toList(), RealData.K);
                holds += cap.holds(Scoring.slots(d, top), RealData.K) ? 1 : 0;
            }
            if (bm25 == null) {
                bm25 = ndcg; // the first configuration is BM25
            }
            rows.put(c.id(), new Row(c, ndcg, PairedBootstrap.compare(bm25, ndcg), share / queries.size(), holds));
        }
        set = querySet(results);
        paired = new PairedSection(set, pairs(results.configs()));
        strata = new StrataSection(set);
    }

    /**
     * The subset as the paired statistics and strata read it: query strata by the number of relevant products, traffic
     * from the replay's Zipf model.
     */
    static QuerySet querySet(RealData.Results results) {
        Dataset d = results.subset().dataset();
        List<JudgedQuery> queries = d.queries();
        double[] relevant = queries.stream().mapToDouble(q -> q.gains().values().stream().filter(g -> g > 0).count())
            .toArray();
        String[] strata = org.fairrescore.eval.metrics.Strata.thirds(relevant,
            org.fairrescore.eval.metrics.Strata.QUERY_STRATA);
        double[] traffic = QuerySet.zipfTraffic(queries.size());
        List<QuerySet.Entry> entries = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            entries.add(new QuerySet.Entry(queries.get(i), d, strata[i], traffic[i]));
        }
        return new QuerySet("WANDS subset, " + queries.size() + " queries", true,
            results.configs().stream().map(RealData.Config::id).toList(), entries, results.hits(), RealData.K,
            RealDataSection::wandsLabel, "thirds of the queries by their number of relevant (Exact or Partial) "
                + "products, head = the third with the most.");
    }

    static String wandsLabel(double gain) {
        return gain == 2 ? "Exact" : gain == 1 ? "Partial" : gain == 0 ? "Irrelevant" : "gain " + gain;
    }

    /**
     * Every rescored configuration against BM25, and the cap against the same model and weight without it; the
     * losses listed for the default model against BM25 (turning semantic on) and for the cap (turning fairness on).
     */
    static List<PairedSection.Pair> pairs(List<RealData.Config> configs) {
        List<PairedSection.Pair> out = new ArrayList<>();
        String base = configs.get(0).id();
        String defaultModel = RealData.shortName(RealData.DEFAULT_MODEL) + " default";
        for (RealData.Config c : configs.subList(1, configs.size())) {
            out.add(new PairedSection.Pair(base, c.id(), c.id().equals(defaultModel)));
        }
        for (RealData.Config c : configs) {
            if (c.capped()) {
                out.add(new PairedSection.Pair(defaultModel, c.id(), true));
            }
        }
        return out;
    }

    PairedSection paired() {
        return paired;
    }

    StrataSection strata() {
        return strata;
    }

    static double ndcg(JudgedQuery q, List<Searches.Hit> hits) {
        double[] gains = new double[Math.min(RealData.K, hits.size())];
        for (int i = 0; i < gains.length; i++) {
            gains[i] = q.gain(hits.get(i).id());
        }
        return Ndcg.at(RealData.K, gains, q.judgedGains());
    }

    Map<String, Row> rows() {
        return rows;
    }

    private RealData.IndexInfo index(String model) {
        return results.indices().stream().filter(i -> i.model().equals(model)).findFirst().orElse(null);
    }

    private String weightCell(RealData.Config c) {
        if (c.rescored() == false) {
            return "—";
        }
        if (c.weight() != null) {
            return RealData.weight(c.weight()) + " (clause)";
        }
        RealData.IndexInfo info = index(c.model());
        return info == null || Double.isNaN(info.defaultWeight()) ? "default"
            : "default (" + String.format(Locale.ROOT, "%.1f", info.defaultWeight()) + ")";
    }

    Table summary() {
        int k = RealData.K;
        int n = results.subset().dataset().queries().size();
        Table t = new Table(List.of("configuration", "model", "semantic_weight", "NDCG@" + k,
            "Δ vs BM25 [95% bootstrap CI]", "ratio to BM25", "wins / ties / losses", "max shop share@" + k,
            "cap " + RealData.MAX_PER_SHOP + "/" + RealData.CAP_WINDOW + " holds@" + k));
        for (Row r : rows.values()) {
            RealData.Config c = r.config();
            PairedBootstrap.Comparison v = r.vsBm25();
            boolean base = c.rescored() == false;
            t.row(List.of(c.id(), base ? "— (first pass only)" : c.model() + (c.capped() ? ", mode cap" : ""),
                weightCell(c), String.format(Locale.ROOT, "%.3f", v.mean()),
                base ? "—" : String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", v.meanDiff(), v.low(), v.high()),
                String.format(Locale.ROOT, "%.2f", v.ratio()),
                base ? "—" : v.wins() + " / " + v.ties() + " / " + v.losses(),
                String.format(Locale.ROOT, "%.2f", r.maxShopShare()),
                Report.percent(Stats.proportion(r.capHolds(), n))));
        }
        return t;
    }

    Table perQuery() {
        List<String> header = new ArrayList<>(List.of("query"));
        rows.keySet().forEach(header::add);
        Table t = new Table(header);
        List<JudgedQuery> queries = results.subset().dataset().queries();
        for (int i = 0; i < queries.size(); i++) {
            List<String> row = new ArrayList<>(List.of(queries.get(i).text()));
            for (Row r : rows.values()) {
                row.add(String.format(Locale.ROOT, "%.3f", r.ndcg()[i]));
            }
            t.row(row);
        }
        List<String> mean = new ArrayList<>(List.of("mean"));
        rows.values().forEach(r -> mean.add(String.format(Locale.ROOT, "%.3f", r.vsBm25().mean())));
        t.row(mean);
        return t;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("\n## ").append(TITLE).append("\n\n");
        notes().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append("\n### NDCG@").append(RealData.K).append(" against BM25\n\n").append(summary().markdown());
        md.append(paired.markdown("###"));
        md.append(strata.markdown("###"));
        md.append("\n### Per query (NDCG@").append(RealData.K).append(")\n\n").append(perQuery().markdown());
        return md.toString();
    }

    String html() {
        StringBuilder h = new StringBuilder("<h2>").append(Table.escape(TITLE)).append("</h2>\n<ul class=\"note\">\n");
        notes().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n<h3>NDCG@").append(RealData.K).append(" against BM25</h3>\n").append(summary().html());
        h.append(paired.html("h3"));
        h.append(strata.html("h3"));
        h.append("<h3>Per query (NDCG@").append(RealData.K).append(")</h3>\n").append(perQuery().html());
        return h.toString();
    }

    /** The section's explanatory lines. */
    List<String> notes() {
        List<String> l = new ArrayList<>();
        int n = results.subset().dataset().queries().size();
        l.add("These numbers rest on real human relevance labels (WANDS, Wayfair's annotation set, MIT licence): "
            + "real products, real queries, labels by annotators. The seeded catalogs above are generated, and so "
            + "are their labels.");
        l.add("Dataset: " + results.subset().description() + ".");
        l.add("Shops: WANDS has no seller column. Each product is assigned one of " + results.subset().dataset()
            .shopSizes().size() + " seeded shops with Zipf sizes (seed " + WandsSubsetLoader.SHOP_SEED
            + "), deterministically, so the shop columns and the cap below are measurable; they say "
            + "nothing about real sellers.");
        l.add("Setup: first pass multi_match over " + RealData.FIRST_PASS_FIELDS + " (category = category_hierarchy), "
            + "rescore window " + RealData.WINDOW + ", one shard; one index per model, its fair_rescore_vector "
            + "field bound to that model, vectors of " + String.join(" + ", RealData.TEXT_FIELDS) + " (text_fields "
            + "in that order) stored at ingest by fair_rescore_embed with inference_batch " + RealData.INFERENCE_BATCH
            + " (bulk of " + RealData.BULK_SIZE + "). The clause sends query_text only, or query_text and "
            + "semantic_weight in the sweep; everything else is the index default. BM25 is the first pass alone.");
        for (RealData.IndexInfo i : results.indices()) {
            l.add(String.format(Locale.ROOT, "Index %s: %d products embedded and indexed in %.1f s (%.0f docs/s); "
                    + "defaults applied: semantic_weight %s, first_pass_saturation %s; explain of the default-weight "
                    + "top %d of all %d queries: %d hits scored with a stored vector, %d embedded on the fly.",
                i.model(), results.subset().products().size(), i.seconds(),
                results.subset().products().size() / i.seconds(), num(i.defaultWeight()), num(i.saturation()),
                RealData.K, n, i.stored(), i.onTheFly()));
        }
        l.add("First-pass windows (top " + RealData.WINDOW + " ids of every query) "
            + (results.sameFirstPass() ? "identical in every index." : "DIFFER between the indices."));
        l.add("NDCG@" + RealData.K + ": linear gains Exact 2, Partial 1, Irrelevant 0, unlabelled 0; discount "
            + "1/log2(1 + r); ideal DCG from all labelled products of the query; mean over " + n + " queries.");
        l.add("Δ vs BM25: mean of the per-query differences; 95% percentile bootstrap interval (queries resampled "
            + "with replacement, " + String.format(Locale.ROOT, "%,d", PairedBootstrap.RESAMPLES) + " resamples, "
            + "seed " + PairedBootstrap.SEED + ", the same resamples for every configuration). Ratio: mean NDCG@"
            + RealData.K + " over BM25's. Wins / ties / losses: queries where the configuration is above / equal to "
            + "/ below BM25.");
        l.add("Max shop share@" + RealData.K + ": mean over queries of the largest seeded shop's share of the top "
            + RealData.K + " by count. Cap holds: share of queries whose top " + RealData.K + " has at most "
            + RealData.MAX_PER_SHOP + " hits of one shop in any " + RealData.CAP_WINDOW + " consecutive positions "
            + "(95% Wilson interval).");
        l.add(String.format(Locale.ROOT, "Real-data run: %.0f s (indexing included).", results.seconds()));
        return l;
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
