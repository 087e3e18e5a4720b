package org.fairrescore.eval;

import org.fairrescore.eval.metrics.Estimate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Writes {@code report.md} and {@code index.html} (same tables, same numbers) and the charts beside them. */
final class Report {

    /**
     * What was run, for the report's header.
     *
     * @param started      when the run began (ISO-8601, UTC)
     * @param node         the node's URL
     * @param versions     OpenSearch and plugin versions as the node reports them
     * @param datasets     one line per dataset
     * @param settings     the run settings
     * @param vectors      how document vectors were obtained
     * @param wallSeconds  the whole run
     */
    record Info(String started, String node, String versions, List<String> datasets, RunSettings settings,
                String vectors, double wallSeconds) {
    }

    private final Info info;
    private final Evaluation.Results results;
    private final Scoring.Scored scored;
    /** The real-data section, or null when the run had none. */
    private final RealDataSection realData;
    /** The replay section, or null when the run had none. */
    private final ReplaySection replay;
    /** The sweep section, or null when the run had none. */
    private final SweepSection sweep;
    /** The diversity section, or null when the run had none. */
    private final DiversitySection diversity;
    /** Paired statistics and strata of the catalogs above the real data. */
    private final QuerySet set;
    private final PairedSection paired;
    private final StrataSection strata;

    /** The page's head, style and title, up to the first list; {@link ReplaySection#writeAlone} starts from it too. */
    static final String HTML_HEAD = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>fair-rescore evaluation report</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
        th[scope=row], thead th { text-align: left; background: #f4f4f4; }
        img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
        .note { color: #555; font-size: 0.9em; }
        </style></head><body>
        <h1>fair-rescore evaluation report</h1>
        """;

    Report(Info info, Evaluation.Results results, Scoring.Scored scored) {
        this(info, results, scored, null);
    }

    Report(Info info, Evaluation.Results results, Scoring.Scored scored, RealDataSection realData) {
        this(info, results, scored, realData, null);
    }

    Report(Info info, Evaluation.Results results, Scoring.Scored scored, RealDataSection realData,
           ReplaySection replay) {
        this(info, results, scored, realData, replay, null);
    }

    Report(Info info, Evaluation.Results results, Scoring.Scored scored, RealDataSection realData,
           ReplaySection replay, SweepSection sweep) {
        this(info, results, scored, realData, replay, sweep, null);
    }

    Report(Info info, Evaluation.Results results, Scoring.Scored scored, RealDataSection realData,
           ReplaySection replay, SweepSection sweep, DiversitySection diversity) {
        this.info = info;
        this.diversity = diversity;
        this.results = results;
        this.scored = scored;
        this.realData = realData;
        this.replay = replay;
        this.sweep = sweep;
        this.set = querySet(results, info.settings().k());
        this.paired = set.configs().size() < 2 ? null : new PairedSection(set, pairs(set.configs()));
        this.strata = new StrataSection(set);
    }

    /**
     * The catalogs' queries as the paired statistics and strata read them: traffic from the replay's Zipf model over
     * the whole set, query strata by that traffic (head = the most searched third).
     */
    static QuerySet querySet(Evaluation.Results results, int k) {
        List<Evaluation.Query> queries = results.queries();
        double[] traffic = QuerySet.zipfTraffic(Math.max(1, queries.size()));
        String[] strata = org.fairrescore.eval.metrics.Strata.thirds(queries.isEmpty() ? new double[0] : traffic,
            org.fairrescore.eval.metrics.Strata.QUERY_STRATA);
        List<QuerySet.Entry> entries = new ArrayList<>();
        for (Evaluation.Query q : queries) {
            entries.add(new QuerySet.Entry(q.judged(), q.dataset(), strata[q.index()], traffic[q.index()]));
        }
        java.util.Map<String, List<List<Searches.Hit>>> hits = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<Configuration, List<Evaluation.Run>> e : results.runs().entrySet()) {
            List<List<Searches.Hit>> perQuery = new ArrayList<>(java.util.Collections.nCopies(queries.size(),
                List.<Searches.Hit>of()));
            e.getValue().forEach(r -> perQuery.set(r.query().index(), r.hits()));
            hits.put(e.getKey().id(), perQuery);
        }
        boolean generated = queries.stream().anyMatch(q -> q.dataset().name().startsWith("seed-"));
        String name = queries.stream().map(q -> q.dataset().name()).distinct().count() + " catalog(s), "
            + queries.size() + " queries";
        return new QuerySet(name, generated == false, List.copyOf(hits.keySet()), entries, hits, k,
            g -> String.format(Locale.ROOT, "gain %s", g == Math.rint(g) ? Long.toString((long) g) : Double.toString(g)),
            "thirds of the queries by their share of the traffic, head = the most searched third.");
    }

    /**
     * Every configuration against BM25, and each quota mode against fair_semantic without a quota (what fairness
     * costs); the losses listed for semantic against BM25 and for each quota against no quota.
     */
    static List<PairedSection.Pair> pairs(List<String> configs) {
        List<PairedSection.Pair> out = new ArrayList<>();
        String bm25 = Configuration.BM25.id();
        String none = Configuration.SEMANTIC.id();
        for (String c : configs) {
            if (configs.contains(bm25) && c.equals(bm25) == false) {
                out.add(new PairedSection.Pair(bm25, c, c.equals(none)));
            }
        }
        for (String c : configs) {
            if (configs.contains(none) && c.equals(bm25) == false && c.equals(none) == false) {
                out.add(new PairedSection.Pair(none, c, true));
            }
        }
        if (out.isEmpty()) {
            for (String c : configs.subList(1, configs.size())) {
                out.add(new PairedSection.Pair(configs.get(0), c, true));
            }
        }
        return out;
    }

    /** The headline table, one row per configuration. */
    Table summary() {
        int k = info.settings().k();
        Table t = new Table(List.of("configuration", "NDCG@" + k, "max shop share@" + k + " (count)",
            "max shop share@" + k + " (exposure)", "distinct shops@" + k, "Gini of shop exposure (per query)",
            "Gini (query set)", "AWRF distance (JSD, lower = fairer)", "long-tail share of exposure",
            "own quota holds", "quota cannot be met", "took p50 / p99 ms"));
        for (Scoring.Summary s : scored.summaries()) {
            t.row(List.of(s.config().id(), s.ndcg().format(3), s.maxCountShare().format(3),
                s.maxExposureShare().format(3), s.distinctShops().format(2), s.gini().format(3),
                s.giniOverSet().format(3), s.awrf().format(3), s.tailExposureShare().format(3),
                s.ownHolds() == null ? "—" : percent(s.ownHolds()),
                s.cannot() == null ? "—" : percent(s.cannot()),
                String.format(Locale.ROOT, "%.0f / %.0f", s.tookP50(), s.tookP99())));
        }
        return t;
    }

    /** Every quota checked on every configuration's top k, and how often no arrangement of the window meets it. */
    Table compliance() {
        int k = info.settings().k();
        List<String> header = new ArrayList<>(List.of("configuration"));
        for (Scoring.QuotaFeasibility f : scored.feasibility()) {
            header.add(f.quota() + " holds@" + k);
        }
        header.add("missed (feasible, not met)");
        Table t = new Table(header);
        for (Scoring.Summary s : scored.summaries()) {
            List<String> row = new ArrayList<>(List.of(s.config().id()));
            for (Scoring.QuotaFeasibility f : scored.feasibility()) {
                Estimate e = s.holds().get(f.quota());
                row.add(e == null ? "—" : percent(e));
            }
            row.add(s.config().hasQuota() ? s.missed() + " of " + scored.perQuery().get(s.config()).size() : "—");
            t.row(row);
        }
        List<String> cannot = new ArrayList<>(List.of("window cannot meet it (any order)"));
        for (Scoring.QuotaFeasibility f : scored.feasibility()) {
            cannot.add(percent(f.infeasible()) + (f.undetermined() > 0 ? " (" + f.undetermined() + " undetermined)" : ""));
        }
        cannot.add("—");
        t.row(cannot);
        return t;
    }

    Table exposureByRank() {
        Set<String> buckets = new LinkedHashSet<>();
        scored.summaries().forEach(s -> buckets.addAll(s.exposureByRank().keySet()));
        Set<String> tiers = new LinkedHashSet<>();
        scored.summaries().forEach(s -> tiers.addAll(s.exposureByTier().keySet()));
        List<String> header = new ArrayList<>(List.of("configuration"));
        buckets.forEach(b -> header.add("rank " + b));
        tiers.forEach(tier -> header.add(tier + " tier"));
        Table t = new Table(header);
        for (Scoring.Summary s : scored.summaries()) {
            List<String> row = new ArrayList<>(List.of(s.config().id()));
            buckets.forEach(b -> row.add(pct(s.exposureByRank().getOrDefault(b, 0.0))));
            tiers.forEach(tier -> row.add(pct(s.exposureByTier().getOrDefault(tier, 0.0))));
            t.row(row);
        }
        return t;
    }

    Table perQuery() {
        int k = info.settings().k();
        List<String> header = new ArrayList<>(List.of("query", "dataset"));
        for (Configuration c : scored.perQuery().keySet()) {
            header.add(c.id() + " NDCG@" + k);
        }
        for (Configuration c : scored.perQuery().keySet()) {
            header.add(c.id() + " max share");
        }
        Table t = new Table(header);
        for (int i = 0; i < scored.queries().size(); i++) {
            Evaluation.Query q = scored.queries().get(i);
            List<String> row = new ArrayList<>(List.of(q.judged().text(), q.dataset().name()));
            for (List<Scoring.QueryScore> scores : scored.perQuery().values()) {
                row.add(String.format(Locale.ROOT, "%.3f", scores.get(i).ndcg()));
            }
            for (List<Scoring.QueryScore> scores : scored.perQuery().values()) {
                row.add(String.format(Locale.ROOT, "%.2f", scores.get(i).maxExposureShare()));
            }
            t.row(row);
        }
        return t;
    }

    Table latency() {
        Table t = new Table(List.of("configuration", "took p50 ms", "took p99 ms", "round trip p50 ms",
            "round trip p99 ms", "searches"));
        for (Scoring.Summary s : scored.summaries()) {
            int searches = results.runs().get(s.config()).stream().mapToInt(r -> r.tookMillis().length).sum();
            t.row(List.of(s.config().id(), fmt0(s.tookP50()), fmt0(s.tookP99()), fmt0(s.roundTripP50()),
                fmt0(s.roundTripP99()), Integer.toString(searches)));
        }
        return t;
    }

    List<String> header() {
        RunSettings s = info.settings();
        List<String> lines = new ArrayList<>();
        lines.add("Run " + info.started() + " against " + info.node() + " (" + info.versions() + "), "
            + String.format(Locale.ROOT, "%.0f s in all.", info.wallSeconds()));
        lines.add(String.format(Locale.ROOT, "%d queries; %d documents indexed in %.1f s.", results.queries().size(),
            results.documents(), results.indexSeconds()));
        for (String d : info.datasets()) {
            lines.add("Dataset: " + d + ".");
        }
        lines.add("Settings: " + s.describe() + ".");
        lines.add("Document vectors: " + info.vectors() + ".");
        for (Scoring.QuotaFeasibility f : scored.feasibility()) {
            lines.add("Quota " + f.description() + ".");
        }
        lines.add("Configurations: " + String.join("; ", scored.summaries().stream()
            .map(x -> x.config().id() + " = " + x.config().label()).toList()) + ".");
        return lines;
    }

    List<String> definitions() {
        int k = info.settings().k();
        List<String> d = new ArrayList<>();
        d.add("Every metric is computed on the top " + k + " of each query and averaged over queries; ± is the 95% t "
            + "interval of the mean, [a, b] a 95% Wilson interval (proportions); the query-set Gini has a 95% jackknife "
            + "interval (leave one query out).");
        d.add("NDCG@" + k + ": linear gains (seeded catalog: exact 2, partial 1; ESCI: E 1, S 0.1, C 0.01, I 0; "
            + "WANDS: Exact 2, Partial 1), discount 1/log2(1 + r), normalised by the ideal ordering of all judged items.");
        d.add("Exposure of position r: 1/log2(1 + r). Max shop share: the largest shop's share of the top " + k
            + " by count and by exposure.");
        d.add("Eligible shops of a query: shops with at least one relevant (gain > 0) judged item. Gini (per query): "
            + "over the eligible shops plus any other shop shown, each with its exposure (0 if not shown). Gini (query "
            + "set): the same over exposure summed across all queries (shops of different catalogs are different).");
        d.add("AWRF distance: Jensen-Shannon divergence (base 2) between the page's exposure over shops and a uniform "
            + "target over the eligible shops; 0 = exposure spread exactly uniformly over them, 1 = all of it elsewhere.");
        d.add("Long-tail share: the share of exposure that goes to long-tail shops (the protected group of fair_topk).");
        d.add("Quota holds: the page meets the quota in its top " + k + " (cap: no shop above max_per_shop in any "
            + "cap_window consecutive positions; share: no shop above max_share of any prefix's exposure from "
            + "share_min_prefix on; fair_topk: the FA*IR minimum the plugin reports in explain, per prefix). Cannot be "
            + "met: an exact search over the " + info.settings().window() + "-hit first-pass window finds no order that "
            + "meets it in the top " + k + ". Missed: the window could have met it, the page does not.");
        d.add("Latency: the node's took (ms) over every timed search; round trip adds HTTP and JSON on the client.");
        if (scored.explainDisagreements() > 0) {
            d.add("Check: on " + scored.explainDisagreements() + " queries explain's \"cannot be met\" for fair_topk "
                + "disagreed with the exact feasibility search.");
        } else if (results.fairExplain().isEmpty() == false) {
            d.add("Check: for fair_topk, explain's \"cannot be met\" agreed with the exact feasibility search on every "
                + "query.");
        }
        return d;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# fair-rescore evaluation report\n\n");
        header().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append("\n## Summary\n\n").append(summary().markdown());
        md.append("\n## Quota compliance\n\n").append(compliance().markdown());
        md.append("\n## Exposure by shop size\n\n").append(exposureByRank().markdown());
        md.append("\n![NDCG vs max shop share](").append(Charts.NDCG_VS_SHARE).append(")\n");
        md.append("\n![Exposure by shop rank](").append(Charts.EXPOSURE_BY_RANK).append(")\n");
        md.append("\n## Latency\n\n").append(latency().markdown());
        md.append("\n## Per query\n\n").append(perQuery().markdown());
        if (paired != null) {
            md.append(paired.markdown("##"));
        }
        md.append(strata.markdown("##"));
        md.append("\n## Definitions\n\n");
        definitions().forEach(l -> md.append("- ").append(l).append('\n'));
        if (realData != null) {
            md.append(realData.markdown());
        }
        if (diversity != null) {
            md.append(diversity.markdown());
        }
        if (sweep != null) {
            md.append(sweep.markdown());
        }
        if (replay != null) {
            md.append(replay.markdown());
        }
        return md.toString();
    }

    String html() {
        StringBuilder h = new StringBuilder(HTML_HEAD).append("<ul class=\"note\">\n");
        header().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n<h2>Summary</h2>\n").append(summary().html());
        h.append("<h2>Quota compliance</h2>\n").append(compliance().html());
        h.append("<h2>Exposure by shop size</h2>\n").append(exposureByRank().html());
        h.append("<p><img src=\"").append(Charts.NDCG_VS_SHARE).append("\" alt=\"NDCG vs max shop share\"></p>\n");
        h.append("<p><img src=\"").append(Charts.EXPOSURE_BY_RANK).append("\" alt=\"Exposure by shop rank\"></p>\n");
        h.append("<h2>Latency</h2>\n").append(latency().html());
        h.append("<h2>Per query</h2>\n").append(perQuery().html());
        if (paired != null) {
            h.append(paired.html("h2"));
        }
        h.append(strata.html("h2"));
        h.append("<h2>Definitions</h2>\n<ul class=\"note\">\n");
        definitions().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n");
        if (realData != null) {
            h.append(realData.html());
        }
        if (diversity != null) {
            h.append(diversity.html());
        }
        if (sweep != null) {
            h.append(sweep.html());
        }
        if (replay != null) {
            h.append(replay.html());
        }
        return h.append("</body></html>\n").toString();
    }

    /** Writes report.md, index.html and the two PNGs into {@code dir}. */
    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("index.html"), html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir, e);
        }
        Charts.write(scored.summaries(), info.settings().k(), dir);
        if (replay != null) {
            replay.writeFiles(dir);
        }
        if (sweep != null) {
            sweep.writeFiles(dir);
        }
    }

    static String percent(Estimate e) {
        if (Double.isNaN(e.value())) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.0f%% [%.0f, %.0f]", 100 * e.value(), 100 * e.low(), 100 * e.high());
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
