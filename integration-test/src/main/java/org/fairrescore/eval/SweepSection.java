package org.fairrescore.eval;

import org.fairrescore.eval.metrics.Pareto;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The sweep's section ({@code report.sh --sweep}): NDCG@10 against the largest shop's exposure share and against the
 * long tail's share for every grid point, the Pareto frontiers marked, the defaults marked, and the frontier's
 * settings as the JSON to paste into {@code PUT <index>/_settings}.
 */
final class SweepSection {

    static final String TITLE = "Sweep: relevance against shop concentration (WANDS subset, human labels)";
    static final String CHART_SHARE = "sweep-ndcg-vs-largest-shop.png";
    static final String CHART_TAIL = "sweep-ndcg-vs-tail-share.png";
    static final List<String> MODES = List.of("none", "cap", "share", "fair_topk", "mmr");

    private final Sweep.Results results;
    /** Indices of the points on the frontier of NDCG (up) against the largest shop's share (down). */
    private final List<Integer> shareFrontier;
    /** Indices of the points on the frontier of NDCG (up) against the long tail's share (up). */
    private final List<Integer> tailFrontier;

    SweepSection(Sweep.Results results) {
        this.results = results;
        List<Sweep.Result> p = results.points();
        double[] ndcg = p.stream().mapToDouble(Sweep.Result::meanNdcg).toArray();
        double[] share = p.stream().mapToDouble(Sweep.Result::meanMaxShare).toArray();
        double[] tail = p.stream().mapToDouble(Sweep.Result::meanTailShare).toArray();
        shareFrontier = Pareto.frontier(share, ndcg, false, true);
        tailFrontier = Pareto.frontier(tail, ndcg, true, true);
    }

    List<Integer> shareFrontier() {
        return shareFrontier;
    }

    List<Integer> tailFrontier() {
        return tailFrontier;
    }

    /** The frontier points (either frontier), highest NDCG first, with the settings to paste. */
    Table frontier() {
        Set<Integer> union = new LinkedHashSet<>(shareFrontier);
        union.addAll(tailFrontier);
        List<Integer> order = new ArrayList<>(union);
        order.sort(Comparator.comparingDouble((Integer i) -> -results.points().get(i).meanNdcg()).thenComparingInt(i -> i));
        Table t = header(true);
        for (int i : order) {
            t.row(row(i, true));
        }
        return t;
    }

    /** Every grid point, in grid order. */
    Table grid() {
        Table t = header(false);
        for (int i = 0; i < results.points().size(); i++) {
            t.row(row(i, false));
        }
        return t;
    }

    private Table header(boolean json) {
        List<String> h = new ArrayList<>(List.of("mode", "semantic_weight", "quota strength", "NDCG@" + Sweep.K,
            "largest shop's exposure share@" + Sweep.K, "long-tail exposure share@" + Sweep.K,
            "frontier (largest shop / tail)", "default"));
        if (json) {
            h.add("PUT <index>/_settings");
        }
        return new Table(h);
    }

    private List<String> row(int i, boolean json) {
        Sweep.Result r = results.points().get(i);
        Sweep.Point p = r.point();
        List<String> row = new ArrayList<>(List.of(p.mode(), Sweep.num(p.weight()), p.parameterCell(),
            f3(r.meanNdcg()), f3(r.meanMaxShare()), f3(r.meanTailShare()),
            (shareFrontier.contains(i) ? "yes" : "no") + " / " + (tailFrontier.contains(i) ? "yes" : "no"),
            p.isDefault() ? (p.mode().equals("none") ? "plugin default" : "mode default") : ""));
        if (json) {
            row.add(p.settingsJson());
        }
        return row;
    }

    List<String> notes() {
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "Grid: semantic_weight %s × (mode none; cap max_per_shop %s per %d; share "
                + "max_share %s from prefix %d; fair_topk protected_share %s, alpha %s, long-tail shops protected; mmr: "
                + "mode none with diversity.lambda %s, set back to 1 after each) = "
                + "%d settings, each applied with PUT _settings (the JSON below) to %s, then all %d judged queries "
                + "searched: the real-data section's requests (first pass multi_match over %s, rescore window %d, the "
                + "clause sends query_text only; %d products, stored %s vectors). Searches %.0f s; loading the index "
                + "%.0f s.", Sweep.WEIGHTS, Sweep.CAP_SIZES, Sweep.CAP_WINDOW, Sweep.MAX_SHARES, Sweep.SHARE_MIN_PREFIX,
            Sweep.PROTECTED_SHARES, Sweep.ALPHA, Sweep.MMR_LAMBDAS, results.points().size(), results.dataset(),
            results.queries(),
            RealData.FIRST_PASS_FIELDS, Sweep.WINDOW, results.products(), RealData.DEFAULT_MODEL, results.seconds(),
            results.indexSeconds()));
        l.add("Labels: real human judgments (WANDS Exact 2 / Partial 1 / Irrelevant 0); shops: the seeded Zipf shops of "
            + "the real-data section, long tail = the small shops listing the second half of the products.");
        l.add("Per point, means over the queries: NDCG@" + Sweep.K + "; the largest shop's share of the top-"
            + Sweep.K + " exposure (position weight 1/log2(1 + r)); the long-tail shops' share of it.");
        l.add("Frontier: a point is on the Pareto frontier when no other point has an NDCG@" + Sweep.K + " at least as "
            + "high and a largest-shop share at least as low (resp. a long-tail share at least as high), one of them "
            + "strictly. The table lists the points on either frontier, highest NDCG first.");
        l.add("Defaults: the plugin's semantic_weight is 0.8 and its mode cap with max_per_shop 0, i.e. no quota "
            + "(\"plugin default\" = mode none at 0.8); \"mode default\" marks each mode at 0.8 with its default "
            + "strength: share max_share 0.3 and fair_topk protected_share 0.2 (the plugin's), cap 2 per 10 (the "
            + "report's runs; the plugin's 0 turns the cap off).");
        l.add("Each JSON assumes the other settings at their defaults, MMR off (diversity.lambda 1) among them. "
            + "fair_topk needs a keyword field marking the protected shops (here shop_tier = tail); the JSON names it. "
            + "The amortized exposure mode is not swept: it acts across searches, which one pass over a query set "
            + "does not measure (see the replay section).");
        return l;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("\n## ").append(TITLE).append("\n\n");
        notes().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append("\n![NDCG vs largest shop's share](").append(CHART_SHARE).append(")\n");
        md.append("\n![NDCG vs long-tail share](").append(CHART_TAIL).append(")\n");
        md.append("\n### The frontier, with the settings to paste\n\n").append(frontier().markdown());
        md.append("\n### Every grid point\n\n").append(grid().markdown());
        return md.toString();
    }

    String html() {
        StringBuilder h = new StringBuilder("<h2>").append(Table.escape(TITLE)).append("</h2>\n<ul class=\"note\">\n");
        notes().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n<p><img src=\"").append(CHART_SHARE).append("\" alt=\"NDCG vs largest shop's share\"></p>\n");
        h.append("<p><img src=\"").append(CHART_TAIL).append("\" alt=\"NDCG vs long-tail share\"></p>\n");
        h.append("<h3>The frontier, with the settings to paste</h3>\n").append(frontier().html());
        h.append("<h3>Every grid point</h3>\n").append(grid().html());
        return h.toString();
    }

    void writeFiles(Path dir) {
        System.setProperty("java.awt.headless", "true");
        save(chart(false), dir.resolve(CHART_SHARE));
        save(chart(true), dir.resolve(CHART_TAIL));
    }

    /** NDCG@10 against the largest shop's share ({@code tail} false) or the long tail's share, per mode. */
    JFreeChart chart(boolean tail) {
        List<Sweep.Result> points = results.points();
        XYSeriesCollection data = new XYSeriesCollection();
        for (String mode : MODES) {
            XYSeries s = new XYSeries(mode, false, true);
            for (Sweep.Result r : points) {
                if (r.point().mode().equals(mode)) {
                    s.add(x(r, tail), r.meanNdcg());
                }
            }
            data.addSeries(s);
        }
        XYSeries frontier = new XYSeries("Pareto frontier", true, true);
        for (int i : tail ? tailFrontier : shareFrontier) {
            frontier.add(x(points.get(i), tail), points.get(i).meanNdcg());
        }
        data.addSeries(frontier);
        XYSeries defaults = new XYSeries("defaults (w 0.8)", false, true);
        for (Sweep.Result r : points) {
            if (r.point().isDefault()) {
                defaults.add(x(r, tail), r.meanNdcg());
            }
        }
        data.addSeries(defaults);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        Color[] colors = {new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4), new Color(0x2c, 0xa0, 0x2c),
            new Color(0x94, 0x67, 0xbd), new Color(0xff, 0x7f, 0x0e)};
        for (int i = 0; i < MODES.size(); i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        int f = MODES.size();
        renderer.setSeriesPaint(f, new Color(0xd6, 0x27, 0x28));
        renderer.setSeriesLinesVisible(f, true);
        renderer.setSeriesShapesVisible(f, false);
        renderer.setSeriesStroke(f, new BasicStroke(2f));
        renderer.setSeriesPaint(f + 1, Color.BLACK);
        renderer.setSeriesShape(f + 1, new Rectangle2D.Double(-7, -7, 14, 14));
        renderer.setSeriesShapesFilled(f + 1, false);

        NumberAxis xAxis = new NumberAxis(tail ? "long-tail shops' share of top-" + Sweep.K + " exposure (mean)"
            : "largest shop's share of top-" + Sweep.K + " exposure (mean)");
        NumberAxis yAxis = new NumberAxis("NDCG@" + Sweep.K + " (mean, WANDS human labels)");
        xAxis.setAutoRangeIncludesZero(false);
        xAxis.setUpperMargin(0.15); // room for the labels of the rightmost defaults
        yAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        // one label per position: defaults that rank alike (fair_topk's default demands nothing in the top 10, so
        // it is the ranking without a quota) share it
        java.util.Map<java.util.List<Double>, String> labels = new java.util.LinkedHashMap<>();
        for (Sweep.Result r : points) {
            if (r.point().isDefault()) {
                labels.merge(List.of(x(r, tail), r.meanNdcg()), r.point().mode(), (a, b) -> a + " = " + b);
            }
        }
        for (java.util.Map.Entry<java.util.List<Double>, String> e : labels.entrySet()) {
            XYTextAnnotation a = new XYTextAnnotation("  " + e.getValue(), e.getKey().get(0), e.getKey().get(1));
            a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            a.setTextAnchor(TextAnchor.CENTER_LEFT);
            plot.addAnnotation(a);
        }
        JFreeChart chart = new JFreeChart(tail ? "Sweep: relevance vs the long tail's exposure"
            : "Sweep: relevance vs the largest shop's exposure", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(tail ? "up and right is better; red: Pareto frontier; squares: defaults"
            : "up and left is better; red: Pareto frontier; squares: defaults"));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static double x(Sweep.Result r, boolean tail) {
        return tail ? r.meanTailShare() : r.meanMaxShare();
    }

    private static void save(JFreeChart chart, Path file) {
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, Charts.WIDTH, Charts.HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
