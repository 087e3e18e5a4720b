package org.fairrescore.eval;

import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.metrics.StreamTally;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report's section on fairness over time ({@link Replay}): the final figures of every configuration with their
 * change against {@code cap} alone, the issue's goals checked, the figures over the stream (tables, a CSV and PNG
 * charts), the merit the shops brought, the check of the ledger against the client's tallies, and the stream itself.
 */
final class ReplaySection {

    static final String TITLE = "Fairness over time: replay of a search stream";
    static final String CSV = "replay-checkpoints.csv";
    /** The configuration the goals compare with {@code cap}: the default strength with target merit. */
    static final String DEFAULT = "merit 0.6";
    static final String UNIFORM = "uniform 0.6";
    static final String CAP = "cap";
    /** The goals this replay is held to (TVD and top-3 share cuts, NDCG budget). */
    static final double TVD_DROP = 0.30;
    static final double NDCG_LOSS = 0.02;
    static final double TOP3_DROP = 0.30;

    /** One goal checked on one dataset. */
    record Goal(String dataset, String goal, String configuration, double cap, double value, String change,
                boolean met) {
    }

    private final Replay.Results results;

    ReplaySection(Replay.Results results) {
        this.results = results;
    }

    Replay.Results results() {
        return results;
    }

    /** The final figures, one row per dataset and configuration, with the change against cap alone. */
    Table summary() {
        Table t = new Table(List.of("dataset", "configuration", "searches", "TVD, plugin's merit (Δ vs cap)",
            "TVD, label merit (Δ)", "Gini of exposure/merit (plugin's; label)", "3 largest shops' share (Δ)",
            "3 most exposed shops' share", "head tier share", "long-tail share (Δ)", "NDCG@" + Replay.K + " (Δ)",
            "searches/s", "took p50 / p99 ms"));
        for (Replay.DatasetRun d : results.datasets()) {
            StreamTally.Snapshot cap = d.run(CAP).last();
            for (Replay.ConfigRun r : d.runs()) {
                StreamTally.Snapshot s = r.last();
                boolean base = r.config().id().equals(CAP);
                t.row(List.of(d.label(), r.config().id(), Integer.toString(s.searches()),
                    f3(s.tvdOwn()) + (base ? "" : " (" + relative(cap.tvdOwn(), s.tvdOwn()) + ")"),
                    f3(s.tvdLabel()) + (base ? "" : " (" + relative(cap.tvdLabel(), s.tvdLabel()) + ")"),
                    f3(s.giniOwn()) + "; " + f3(s.giniLabel()),
                    pct(s.top3Share()) + (base ? "" : " (" + relative(cap.top3Share(), s.top3Share()) + ")"),
                    pct(s.top3Exposed()), pct(s.headShare()),
                    pct(s.tailShare()) + (base ? "" : " (" + relative(cap.tailShare(), s.tailShare()) + ")"),
                    f3(s.ndcg()) + (base ? "" : " (" + signed(s.ndcg() - cap.ndcg()) + ")"),
                    String.format(Locale.ROOT, "%.0f", r.searchesPerSecond()),
                    String.format(Locale.ROOT, "%.0f / %.0f", r.tookP50(), r.tookP99())));
            }
        }
        return t;
    }

    /** The issue's goals, at the default strength (target merit) and with target uniform, against cap alone. */
    List<Goal> goals() {
        List<Goal> out = new ArrayList<>();
        for (Replay.DatasetRun d : results.datasets()) {
            String name = d.label();
            Replay.ConfigRun cap = d.run(CAP);
            Replay.ConfigRun def = d.run(DEFAULT);
            Replay.ConfigRun uniform = d.run(UNIFORM);
            if (cap == null || def == null || uniform == null) {
                continue;
            }
            StreamTally.Snapshot c = cap.last();
            StreamTally.Snapshot m = def.last();
            StreamTally.Snapshot u = uniform.last();
            out.add(drop(name, "TVD, plugin's merit, down >= 30 %", DEFAULT, c.tvdOwn(), m.tvdOwn(), TVD_DROP));
            out.add(drop(name, "TVD, label merit, down >= 30 %", DEFAULT, c.tvdLabel(), m.tvdLabel(), TVD_DROP));
            out.add(new Goal(name, "mean NDCG@" + Replay.K + " down <= " + NDCG_LOSS, DEFAULT, c.ndcg(), m.ndcg(),
                signed(m.ndcg() - c.ndcg()), c.ndcg() - m.ndcg() <= NDCG_LOSS));
            out.add(drop(name, "3 largest shops' exposure share down >= 30 %", UNIFORM, c.top3Share(), u.top3Share(),
                TOP3_DROP));
        }
        return out;
    }

    private static Goal drop(String dataset, String goal, String config, double cap, double value, double needed) {
        double change = (value - cap) / cap;
        return new Goal(dataset, goal, config, cap, value, relative(cap, value), change <= -needed);
    }

    Table goalTable() {
        Table t = new Table(List.of("dataset", "goal", "configuration", "cap alone", "configuration's value", "change",
            "met"));
        for (Goal g : goals()) {
            t.row(List.of(g.dataset(), g.goal(), g.configuration(), f3(g.cap()), f3(g.value()), g.change(),
                g.met() ? "yes" : "NO"));
        }
        return t;
    }

    /** What the shops brought: the shares of merit that exposure is compared against, by group. */
    Table merit() {
        Table t = new Table(List.of("dataset", "shops (catalog)", "3 largest shops", "head tier", "long-tail tier",
            "shops with plugin's merit", "shops with label merit", "3 largest: share of plugin's merit / label merit",
            "head tier: plugin's / label", "long tail: plugin's / label"));
        for (Replay.DatasetRun d : firstPasses()) {
            Replay.ConfigRun cap = d.run(CAP);
            StreamTally.Groups g = d.groups();
            t.row(List.of(d.dataset().name(), Integer.toString(d.dataset().shopSizes().size()),
                String.join(", ", g.largest().stream().sorted().toList()), g.head().size() + " shops",
                g.tail().size() + " shops", Long.toString(cap.ownMerit().values().stream().filter(v -> v > 0).count()),
                Long.toString(cap.labelMerit().values().stream().filter(v -> v > 0).count()),
                pct(share(cap.ownMerit(), g.largest())) + " / " + pct(share(cap.labelMerit(), g.largest())),
                pct(share(cap.ownMerit(), g.head())) + " / " + pct(share(cap.labelMerit(), g.head())),
                pct(share(cap.ownMerit(), g.tail())) + " / " + pct(share(cap.labelMerit(), g.tail()))));
        }
        return t;
    }

    /** The first pass of each dataset (datasets run one pass per sync interval). */
    List<Replay.DatasetRun> firstPasses() {
        List<Replay.DatasetRun> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Replay.DatasetRun d : results.datasets()) {
            if (seen.add(d.dataset().name())) {
                out.add(d);
            }
        }
        return out;
    }

    private static double share(java.util.Map<String, Double> values, java.util.Set<String> shops) {
        return org.fairrescore.eval.metrics.Amortized.share(values, shops);
    }

    /** One figure over the stream: a row every tenth of it, a column per configuration. */
    Table overStream(Replay.DatasetRun d, String what, ToDoubleFunction<StreamTally.Snapshot> value, boolean percent) {
        List<String> header = new ArrayList<>(List.of("searches"));
        d.runs().forEach(r -> header.add(r.config().id()));
        Table t = new Table(header);
        List<StreamTally.Snapshot> first = d.runs().get(0).checkpoints();
        int every = Math.max(1, first.size() / 10);
        for (int i = 0; i < first.size(); i++) {
            if ((i + 1) % every != 0 && i != first.size() - 1 && i != 0) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(Integer.toString(first.get(i).searches())));
            for (Replay.ConfigRun r : d.runs()) {
                double v = i < r.checkpoints().size() ? value.applyAsDouble(r.checkpoints().get(i)) : Double.NaN;
                row.add(percent ? pct(v) : f3(v));
            }
            t.row(row);
        }
        return t;
    }

    /** The ledger (GET after each configuration) against the client's tallies. */
    Table consistency() {
        Table t = new Table(List.of("dataset", "configuration", "exposure: client / ledger", "largest shop difference",
            "merit: calibrated / ledger", "largest shop difference", "shops: client / ledger", "consistent"));
        for (Replay.DatasetRun d : results.datasets()) {
            for (Replay.ConfigRun r : d.runs()) {
                Replay.Consistency c = r.consistency();
                t.row(List.of(d.label(), r.config().id(),
                    String.format(Locale.ROOT, "%.4f / %.4f", c.clientExposure(), c.ledgerExposure()),
                    String.format(Locale.ROOT, "%.2g", c.exposureShopDiff()),
                    String.format(Locale.ROOT, "%.4f / %.4f", c.expectedMerit(), c.ledgerMerit()),
                    String.format(Locale.ROOT, "%.2g", c.meritShopDiff()),
                    c.clientShops() + " / " + c.ledgerShops(), c.holds() ? "yes" : "NO"));
            }
        }
        return t;
    }

    /** How often the stream searched each query. */
    Table stream() {
        Table t = new Table(List.of("dataset", "query", "searches", "share of the stream"));
        for (Replay.DatasetRun d : firstPasses()) {
            List<JudgedQuery> qs = d.dataset().queries();
            int total = 0;
            for (int c : d.counts()) {
                total += c;
            }
            Integer[] order = new Integer[qs.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Integer.compare(d.counts()[b], d.counts()[a]));
            for (int i : order) {
                t.row(List.of(d.dataset().name(), qs.get(i).text(), Integer.toString(d.counts()[i]),
                    pct((double) d.counts()[i] / total)));
            }
        }
        return t;
    }

    /** Every checkpoint of every configuration, as CSV. */
    String csv() {
        StringBuilder sb = new StringBuilder("dataset,sync_interval,configuration,strength,target,searches,tvd_own,"
            + "tvd_label,gini_own,gini_label,top3_share,top3_exposed_share,head_share,tail_share,ndcg\n");
        for (Replay.DatasetRun d : results.datasets()) {
            for (Replay.ConfigRun r : d.runs()) {
                for (StreamTally.Snapshot s : r.checkpoints()) {
                    sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n",
                        d.dataset().name(), d.syncInterval(), r.config().id().replace(' ', '-'), r.config().strength(),
                        r.config().target(), s.searches(), s.tvdOwn(), s.tvdLabel(), s.giniOwn(), s.giniLabel(),
                        s.top3Share(), s.top3Exposed(), s.headShare(), s.tailShare(), s.ndcg()));
                }
            }
        }
        return sb.toString();
    }

    List<String> notes() {
        Replay.Options o = results.options();
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "Each dataset's stream: %,d searches, query texts drawn from its labelled "
                + "queries with Zipf popularity (exponent %.1f: the query of popularity rank r is drawn with probability "
                + "proportional to 1/r; ranks dealt by a seeded shuffle, seed %d). The same stream is replayed under "
                + "every configuration, one search at a time, and the index's exposure ledger is emptied (DELETE "
                + "_plugins/_fair_rescore/exposure/{index}, checked empty) before each configuration.",
            o.searches(), Replay.ZIPF_EXPONENT, Replay.STREAM_SEED));
        l.add("Configurations: " + String.join("; ", Replay.configs().stream().map(c -> c.id() + " = " + c.label())
            .toList()) + ". The quota is index.fair_rescore.mode cap with max_per_shop " + Replay.MAX_PER_SHOP
            + ", cap_window " + Replay.CAP_WINDOW + "; the boost, strength x 0.1 x the shop's clipped deficit, is "
            + "added to each window hit's blend before the cap orders the window.");
        l.add("index.fair_rescore.exposure.half_life is " + Replay.HALF_LIFE + " during the replay (default 1h), so "
            + "that decay does not blur the comparison: over a run of minutes every figure keeps more than 0.99999 of "
            + "its weight. The node's fair_rescore.exposure.sync_interval is " + results.syncInterval() + ": the "
            + "rescorer reads a view of the ledger rebuilt at that interval, so each search is boosted by what the "
            + "searches up to one interval earlier served. That feedback delay is part of what is measured: in "
            + "searches it is the interval times the stream's rate (below). Sync intervals replayed: "
            + String.join(", ", results.datasets().stream().map(Replay.DatasetRun::syncInterval).distinct().toList())
            + " (a pass of every configuration each; \"dataset @interval\" in the tables).");
        Replay.SyncCheck sync = results.sync();
        l.add((sync.byClient() ? "PLUGIN BUG: " : "Sync check: ") + sync.describe(o.rate()) + "."
            + (sync.byClient() ? " Without that, every configuration would serve exactly the pages of cap alone. This "
                + "replay first found it in a build whose first scheduled sync ran before the node had a cluster state, "
                + "threw (NullPointerException in ExposureService.syncNow) and left the flag that keeps two scheduled "
                + "syncs apart set, so no scheduled sync ran again; 5953d77 fixed that (the sync starts with the first "
                + "cluster state and never throws). Seen again, it is a build without that fix or a new regression: "
                + "see the node log." : ""));
        for (Replay.DatasetRun d : firstPasses()) {
            l.add(String.format(Locale.ROOT, "%s: %s. Indexed in %.0f s; %s. %d of %d queries have the same top %d "
                    + "under cap with the exposure mode off and at strength 0 (so cap alone is the cap). The plugin's "
                    + "merit of one search, read from the ledger once per query: %.4f to %.4f (1 expected: one shard).",
                d.dataset().name(), d.dataset().description(), d.loadSeconds(), d.target().setup(), d.capSameAsOff(),
                d.dataset().queries().size(), Replay.K, d.meritPerSearch()[0], d.meritPerSearch()[1]));
        }
        for (Replay.DatasetRun d : results.datasets()) {
            double rate = d.runs().stream().mapToDouble(Replay.ConfigRun::searchesPerSecond).min().orElse(0);
            double millis = Replay.millis(d.syncInterval());
            String delay = sync.byClient()
                ? String.format(Locale.ROOT, "the view rebuilt after every %d searches (%s at %.0f searches/s; %s "
                    + "syncs triggered per configuration)", o.searchesPerSync(d.syncInterval()), d.syncInterval(),
                    o.rate(), String.join(" / ", d.runs().stream().map(r -> Integer.toString(r.drivenSyncs())).toList()))
                : String.format(Locale.ROOT, "paced at %.0f searches/s, the slowest configuration reached %.0f/s%s, so "
                    + "about %.0f searches per sync interval", o.rate(), rate, rate < 0.95 * o.rate()
                    ? " (the node did NOT keep up: the feedback delay in searches is shorter than intended)" : "",
                    rate * millis / 1000);
            l.add(String.format(Locale.ROOT, "%s: %.0f s (%s, took p50 %.0f ms); %s.", d.label(), d.seconds(),
                d.runs().stream().map(r -> String.format(Locale.ROOT, "%.0f", r.searchesPerSecond()))
                    .reduce((a, b) -> a + " / " + b).orElse("") + " searches/s", d.runs().get(0).tookP50(), delay));
        }
        l.add("Exposure: each served hit at rank r (1..10) gives its shop 1/log2(1 + r), counted by the client from the "
            + "hits it got; the ledger counts the same on the node (checked below).");
        l.add("The plugin's merit (what the ledger calls merit): one search's merit 1, split among the shops of the "
            + "rescored window of 100 in proportion to their hits' blend (before any boost). It does not depend on "
            + "the configuration, so it is read once per query from the ledger (empty ledger, one search, GET) and "
            + "added per search; after each configuration a GET checks the ledger's merit against that sum. The "
            + "stream itself reads no ledger: each GET syncs the node's view, which would shorten the feedback delay "
            + "being measured.");
        l.add("Label merit: the gains of each shop's labelled items (" + labels() + ") in the query's first-pass "
            + "window of " + Replay.WINDOW + " (the first pass alone, once per distinct query), added per search.");
        l.add("TVD: total variation distance, 1/2 x the sum over shops of |exposure share - merit share| (0: exposure "
            + "exactly proportional to merit). Gini of exposure/merit: Gini coefficient over the shops with merit of "
            + "(exposure share / merit share). Shares: of all top-" + Replay.K + " exposure of the stream so far; the "
            + "3 largest shops by catalog size; the 3 most exposed shops are whichever hold the most exposure; head "
            + "and long-tail tiers as each dataset defines them (above). NDCG@" + Replay.K + ": mean over the "
            + "searches of the stream (a query counts as often as it is searched). Figures are cumulative: at a "
            + "checkpoint they cover every search before it.");
        l.add("Goals, at the default strength with target merit against cap alone on the same stream: TVD "
            + "down by at least 30 %, mean NDCG@" + Replay.K + " down by at most " + NDCG_LOSS + "; with target "
            + "uniform: the 3 largest shops' share of all exposure down by at least 30 %. The issue states the label "
            + "goal for the WANDS subset; it is shown for the seeded catalogs too.");
        l.add("One stream per dataset, interval and configuration, no repetitions: the moments the view is rebuilt "
            + "fall on other searches from run to run (the rate varies with the machine's load), so the figures of the "
            + "boosted configurations vary between runs; cap alone does not depend on it.");
        l.add(String.format(Locale.ROOT, "Replay: %.0f s in all (indexing included). Every checkpoint (every %d "
            + "searches) is in %s.", results.seconds(), o.checkpoint(), CSV));
        return l;
    }

    private String labels() {
        List<String> names = firstPasses().stream().map(d -> d.dataset().name()).toList();
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.isEmpty() ? "" : "; ").append(n).append(n.startsWith("seed-") ? ": exact 2, partial 1"
                : ": Exact 2, Partial 1, Irrelevant 0");
        }
        return sb.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("\n## ").append(TITLE).append("\n\n");
        notes().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append("\n### Final figures (Δ against cap alone)\n\n").append(summary().markdown());
        md.append("\n### Goals\n\n").append(goalTable().markdown());
        md.append("\n### Merit by shop group\n\n").append(merit().markdown());
        for (Replay.DatasetRun d : results.datasets()) {
            String n = d.label();
            String f = d.fileLabel();
            md.append("\n### Over the stream: ").append(n).append("\n\n");
            md.append("TVD, plugin's merit:\n\n").append(overStream(d, "tvd", StreamTally.Snapshot::tvdOwn, false)
                .markdown());
            md.append("\nNDCG@").append(Replay.K).append(" (cumulative mean):\n\n")
                .append(overStream(d, "ndcg", StreamTally.Snapshot::ndcg, false).markdown());
            md.append("\n![TVD over the stream, ").append(n).append("](").append(ReplayCharts.tvdFile(f)).append(")\n");
            md.append("\n![NDCG over the stream, ").append(n).append("](").append(ReplayCharts.ndcgFile(f)).append(")\n");
            md.append("\n![Head and tail shares, ").append(n).append("](").append(ReplayCharts.sharesFile(f))
                .append(")\n");
        }
        md.append("\n### Ledger against the client\n\n").append(consistency().markdown());
        md.append("\n### The stream\n\n").append(stream().markdown());
        return md.toString();
    }

    String html() {
        StringBuilder h = new StringBuilder("<h2>").append(Table.escape(TITLE)).append("</h2>\n<ul class=\"note\">\n");
        notes().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n<h3>Final figures (Δ against cap alone)</h3>\n").append(summary().html());
        h.append("<h3>Goals</h3>\n").append(goalTable().html());
        h.append("<h3>Merit by shop group</h3>\n").append(merit().html());
        for (Replay.DatasetRun d : results.datasets()) {
            String n = d.label();
            String fl = d.fileLabel();
            h.append("<h3>Over the stream: ").append(Table.escape(n)).append("</h3>\n");
            h.append("<p>TVD, plugin's merit:</p>\n").append(overStream(d, "tvd", StreamTally.Snapshot::tvdOwn, false)
                .html());
            h.append("<p>NDCG@").append(Replay.K).append(" (cumulative mean):</p>\n")
                .append(overStream(d, "ndcg", StreamTally.Snapshot::ndcg, false).html());
            for (String f : List.of(ReplayCharts.tvdFile(fl), ReplayCharts.ndcgFile(fl), ReplayCharts.sharesFile(fl))) {
                h.append("<p><img src=\"").append(f).append("\" alt=\"").append(Table.escape(f)).append("\"></p>\n");
            }
        }
        h.append("<h3>Ledger against the client</h3>\n").append(consistency().html());
        h.append("<h3>The stream</h3>\n").append(stream().html());
        return h.toString();
    }

    /** The charts and the CSV, beside the report. */
    void writeFiles(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CSV), csv(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(CSV), e);
        }
        ReplayCharts.write(results, dir);
    }

    /** A report of the replay alone ({@code --replay-only}): report.md, index.html, the charts and the CSV. */
    void writeAlone(Path dir, List<String> header) {
        StringBuilder md = new StringBuilder("# fair-rescore evaluation report (replay only)\n\n");
        header.forEach(l -> md.append("- ").append(l).append('\n'));
        md.append(markdown());
        StringBuilder h = new StringBuilder(Report.HTML_HEAD.replace("<h1>fair-rescore evaluation report</h1>",
            "<h1>fair-rescore evaluation report (replay only)</h1>"));
        h.append("<ul class=\"note\">\n");
        header.forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n").append(html()).append("</body></html>\n");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("index.html"), h.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir, e);
        }
        writeFiles(dir);
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String signed(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.3f", v);
    }

    /** The change from {@code base} to {@code v} in percent of {@code base}. */
    static String relative(double base, double v) {
        if (Double.isNaN(base) || Double.isNaN(v) || base == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.0f%%", 100 * (v - base) / base);
    }
}
