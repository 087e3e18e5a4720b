package org.fairrescore.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.data.WandsSubsetLoader;
import org.fairrescore.eval.metrics.Ndcg;
import org.fairrescore.eval.metrics.ShopShare;
import org.fairrescore.reliability.Http;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep ({@code report.sh --sweep}): a grid of semantic weight × quota strength per mode over the WANDS subset
 * (real products and human labels, seeded shops) on the real-data section's index of the default model (same first
 * pass, window and vectors), each point applied with {@code PUT _settings} (the exact JSON the report prints) and
 * every judged query searched under it. Per point: mean NDCG@10, the largest shop's share of the
 * top-10 exposure and the long tail's share of it.
 *
 * <p>The grid: semantic_weight {@link #WEIGHTS}; per weight mode {@code none}, {@code cap} with max_per_shop
 * {@link #CAP_SIZES} (cap_window 10), {@code share} with max_share {@link #MAX_SHARES} (share_min_prefix 5) and
 * {@code fair_topk} with protected_share {@link #PROTECTED_SHARES} (alpha 0.1, the long-tail shops protected), and
 * MMR ({@code diversity.lambda} {@link #MMR_LAMBDAS}, mode none; set back to 1 after each such point). The
 * amortized exposure mode is left out: it acts across searches (its ledger), which one pass of a query set cannot
 * measure; the replay section does.
 */
final class Sweep {

    static final List<Double> WEIGHTS = List.of(0.0, 0.5, 0.8, 1.0);
    static final List<Integer> CAP_SIZES = List.of(1, 2, 3);
    static final int CAP_WINDOW = 10;
    static final List<Double> MAX_SHARES = List.of(0.2, 0.3, 0.5);
    static final int SHARE_MIN_PREFIX = 5;
    static final List<Double> PROTECTED_SHARES = List.of(0.2, 0.5, 0.8);
    /** MMR's lambda ({@code index.fair_rescore.diversity.lambda}; 1, the default, turns MMR off), with mode none. */
    static final List<Double> MMR_LAMBDAS = List.of(0.5, 0.7, 0.9);
    static final String LAMBDA = "index.fair_rescore.diversity.lambda";
    static final double ALPHA = 0.1;
    static final int K = RealData.K;
    static final int WINDOW = RealData.WINDOW;
    /** The plugin's defaults ({@code FairRescoreSettings}): semantic_weight 0.8, mode cap with max_per_shop 0 (off). */
    static final double DEFAULT_WEIGHT = 0.8;
    static final double DEFAULT_MAX_SHARE = 0.3;
    static final double DEFAULT_PROTECTED_SHARE = 0.2;
    /** The cap the report's runs use (the plugin's own default max_per_shop, 0, turns the cap off). */
    static final int DEFAULT_CAP = 2;

    /**
     * One grid point.
     *
     * @param mode      none, cap, share, fair_topk, or mmr (mode none with MMR)
     * @param weight    semantic_weight
     * @param parameter the quota's strength (max_per_shop, max_share or protected_share) or MMR's lambda; NaN for
     *                  none
     */
    record Point(String mode, double weight, double parameter) {

        /** The quota parameter as a table cell. */
        String parameterCell() {
            return switch (mode) {
                case "cap" -> "max_per_shop " + (int) parameter + " / " + CAP_WINDOW;
                case "share" -> "max_share " + num(parameter);
                case "fair_topk" -> "protected_share " + num(parameter);
                case "mmr" -> "diversity.lambda " + num(parameter);
                default -> "—";
            };
        }

        /** Whether this is the plugin's default for the mode (the cap: the report's 2 per 10; none: no quota at all). */
        boolean isDefault() {
            if (weight != DEFAULT_WEIGHT) {
                return false;
            }
            return switch (mode) {
                case "cap" -> parameter == DEFAULT_CAP;
                case "share" -> parameter == DEFAULT_MAX_SHARE;
                case "fair_topk" -> parameter == DEFAULT_PROTECTED_SHARE;
                case "mmr" -> false; // the default lambda, 1, is MMR off: the point of mode none
                default -> true;
            };
        }

        /** The index settings of the point, flat keys, as {@code PUT <index>/_settings} takes them. */
        Map<String, Object> settings() {
            Map<String, Object> s = new LinkedHashMap<>();
            String p = "index.fair_rescore.";
            s.put(p + "semantic_weight", weight);
            s.put(p + "mode", mode.equals("mmr") ? "none" : mode);
            switch (mode) {
                case "cap" -> {
                    s.put(p + "max_per_shop", (int) parameter);
                    s.put(p + "cap_window", CAP_WINDOW);
                }
                case "share" -> {
                    s.put(p + "max_share", parameter);
                    s.put(p + "share_min_prefix", SHARE_MIN_PREFIX);
                }
                case "fair_topk" -> {
                    s.put(p + "protected_field", RealData.TIER_FIELD);
                    s.put(p + "protected_value", Dataset.TAIL);
                    s.put(p + "protected_share", parameter);
                    s.put(p + "alpha", ALPHA);
                }
                case "mmr" -> s.put(LAMBDA, parameter);
                default -> {
                }
            }
            return s;
        }

        /** {@link #settings()} as JSON, a space after each comma and colon (so a page can wrap it). */
        String settingsJson() {
            StringBuilder json = new StringBuilder("{");
            settings().forEach((k, v) -> json.append(json.length() == 1 ? "" : ", ").append(EvalIndex.json(k))
                .append(": ").append(EvalIndex.json(v)));
            return json.append('}').toString();
        }
    }

    /** A point's numbers: per query NDCG@k, largest shop's exposure share and long-tail exposure share. */
    record Result(Point point, double[] ndcg, double[] maxShare, double[] tailShare, double seconds) {
        double meanNdcg() {
            return mean(ndcg);
        }

        double meanMaxShare() {
            return mean(maxShare);
        }

        double meanTailShare() {
            return mean(tailShare);
        }
    }

    /** The whole sweep. */
    record Results(String dataset, int queries, int products, List<Result> points, double indexSeconds,
                   double seconds) {
    }

    static List<Point> grid() {
        List<Point> out = new ArrayList<>();
        for (double w : WEIGHTS) {
            out.add(new Point("none", w, Double.NaN));
            CAP_SIZES.forEach(c -> out.add(new Point("cap", w, c)));
            MAX_SHARES.forEach(s -> out.add(new Point("share", w, s)));
            PROTECTED_SHARES.forEach(p -> out.add(new Point("fair_topk", w, p)));
            MMR_LAMBDAS.forEach(l -> out.add(new Point("mmr", w, l)));
        }
        return List.copyOf(out);
    }

    private final Http client;
    private final PrintStream log;

    Sweep(Http client, PrintStream log) {
        this.client = client;
        this.log = log;
    }

    /**
     * The sweep on its own ({@code --sweep --no-real-data}): loads the default model's index exactly as the real-data
     * section does, sweeps it, deletes it unless {@code keepIndex}.
     */
    Results run(WandsSubsetLoader.Subset subset, boolean keepIndex) {
        RealData realData = new RealData(client, log);
        String index = RealData.indexName(RealData.DEFAULT_MODEL);
        try {
            double seconds = realData.createAndLoad(RealData.DEFAULT_MODEL, subset);
            return runOn(index, subset, seconds);
        } finally {
            if (keepIndex == false) {
                client.expect("DELETE", "/" + index, null, 200, 404);
                client.expect("DELETE", "/_ingest/pipeline/" + RealData.pipelineName(RealData.DEFAULT_MODEL), null,
                    200, 404);
            }
        }
    }

    /**
     * Every grid point on a loaded index of the subset ({@link RealData#indexDefinition}): the point's settings put,
     * then every judged query searched with the real-data section's request (the clause sends query_text only).
     */
    Results runOn(String index, WandsSubsetLoader.Subset subset, double indexSeconds) {
        long start = System.nanoTime();
        Dataset d = subset.dataset();
        List<Point> grid = grid();
        List<JudgedQuery> queries = d.queries();
        log.println("Sweep: " + grid.size() + " settings x " + queries.size() + " queries on " + index);
        RealData.Config config = new RealData.Config("sweep", RealData.DEFAULT_MODEL, null, "none");
        List<Result> out = new ArrayList<>();
        Progress progress = new Progress(log, "sweep", grid.size() * queries.size(), "searches");
        for (Point p : grid) {
            long t = System.nanoTime();
            ObjectNode body = EvalIndex.JSON.valueToTree(p.settings());
            client.expect("PUT", "/" + index + "/_settings", body);
            double[] ndcg = new double[queries.size()];
            double[] maxShare = new double[queries.size()];
            double[] tail = new double[queries.size()];
            for (int i = 0; i < queries.size(); i++) {
                JudgedQuery q = queries.get(i);
                List<Searches.Hit> hits = Searches.hits(client.expect("POST", "/" + index + "/_search",
                    RealData.request(config, q.text())).json());
                score(d, q, hits, i, ndcg, maxShare, tail);
                progress.advance(1);
            }
            out.add(new Result(p, ndcg, maxShare, tail, (System.nanoTime() - t) / 1e9));
            if (p.mode().equals("mmr")) {
                // MMR off again: every other point's JSON assumes the default lambda
                ObjectNode off = EvalIndex.JSON.createObjectNode().put(LAMBDA, 1.0);
                client.expect("PUT", "/" + index + "/_settings", off);
            }
        }
        return new Results(index, queries.size(), subset.products().size(), out, indexSeconds,
            (System.nanoTime() - start) / 1e9);
    }

    /** One query's numbers into slot {@code i} of the arrays. */
    static void score(Dataset d, JudgedQuery q, List<Searches.Hit> hits, int i, double[] ndcg, double[] maxShare,
                      double[] tail) {
        List<Searches.Hit> top = hits.subList(0, Math.min(K, hits.size()));
        double[] gains = new double[top.size()];
        List<String> groups = new ArrayList<>();
        double tailExposure = 0;
        double total = 0;
        for (int r = 0; r < top.size(); r++) {
            gains[r] = q.gain(top.get(r).id());
            groups.add(Scoring.group(top.get(r)));
            double w = org.fairrescore.eval.metrics.Exposure.weight(r + 1);
            total += w;
            if (d.isProtected(top.get(r).shop())) {
                tailExposure += w;
            }
        }
        ndcg[i] = Ndcg.at(K, gains, q.judgedGains());
        maxShare[i] = ShopShare.maxExposureShare(groups, K);
        tail[i] = total == 0 ? Double.NaN : tailExposure / total;
    }

    static double mean(double[] v) {
        return org.fairrescore.eval.metrics.Stats.meanCi(v).value();
    }

    static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
