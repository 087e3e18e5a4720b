package org.fairrescore.eval;

import org.fairrescore.eval.metrics.StreamTally;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The replay's PNG charts, per dataset: TVD over the stream, NDCG@10 over the stream, head and tail shares. */
final class ReplayCharts {

    static final int WIDTH = 960;
    static final int HEIGHT = 720;

    private static final Color[] COLORS = {
        new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4), new Color(0x2c, 0xa0, 0x2c),
        new Color(0xd6, 0x27, 0x28), new Color(0xff, 0x7f, 0x0e), new Color(0x94, 0x67, 0xbd)};

    private ReplayCharts() {}

    static String tvdFile(String dataset) {
        return "replay-" + dataset + "-tvd.png";
    }

    static String ndcgFile(String dataset) {
        return "replay-" + dataset + "-ndcg.png";
    }

    static String sharesFile(String dataset) {
        return "replay-" + dataset + "-head-tail.png";
    }

    /** Writes the three charts of every dataset into {@code dir}; returns their file names. */
    static List<String> write(Replay.Results results, Path dir) {
        System.setProperty("java.awt.headless", "true");
        List<String> files = new ArrayList<>();
        for (Replay.DatasetRun d : results.datasets()) {
            String name = d.fileLabel();
            String title = d.label();
            save(chart("Exposure vs merit over the stream: " + title,
                "total variation distance between shops' exposure shares and merit shares (lower = fairer)",
                d, List.of(new Panel("TVD, plugin's merit", StreamTally.Snapshot::tvdOwn),
                    new Panel("TVD, label merit", StreamTally.Snapshot::tvdLabel))), dir.resolve(tvdFile(name)));
            save(chart("Relevance over the stream: " + title, "mean NDCG@" + Replay.K + " of the searches so far",
                d, List.of(new Panel("NDCG@" + Replay.K + " (cumulative mean)", StreamTally.Snapshot::ndcg))),
                dir.resolve(ndcgFile(name)));
            save(chart("Head and long tail over the stream: " + title,
                "share of all top-" + Replay.K + " exposure so far", d,
                List.of(new Panel("3 largest shops", StreamTally.Snapshot::top3Share),
                    new Panel("long-tail tier (" + d.groups().tail().size() + " shops)", StreamTally.Snapshot::tailShare))),
                dir.resolve(sharesFile(name)));
            files.add(tvdFile(name));
            files.add(ndcgFile(name));
            files.add(sharesFile(name));
        }
        return files;
    }

    record Panel(String axis, ToDoubleFunction<StreamTally.Snapshot> value) {
    }

    /** One line per configuration in each panel, the panels stacked over a shared x axis (searches). */
    static JFreeChart chart(String title, String subtitle, Replay.DatasetRun d, List<Panel> panels) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("searches in the stream"));
        plot.setGap(12);
        XYPlot first = null;
        for (Panel p : panels) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (Replay.ConfigRun r : d.runs()) {
                XYSeries s = new XYSeries(r.config().id());
                for (StreamTally.Snapshot c : r.checkpoints()) {
                    double v = p.value().applyAsDouble(c);
                    if (Double.isNaN(v) == false) {
                        s.add(c.searches(), v);
                    }
                }
                data.addSeries(s);
            }
            NumberAxis y = new NumberAxis(p.axis());
            y.setAutoRangeIncludesZero(false);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int i = 0; i < d.runs().size(); i++) {
                renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
                renderer.setSeriesStroke(i, new BasicStroke(i == 0 ? 3f : 2f));
            }
            XYPlot sub = new XYPlot(data, null, y, renderer);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setDomainGridlinePaint(Color.LIGHT_GRAY);
            sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.add(sub, 1);
            first = first == null ? sub : first;
        }
        if (first != null) {
            plot.setFixedLegendItems(first.getLegendItems()); // one entry per configuration, not one per panel
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(subtitle));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void save(JFreeChart chart, Path file) {
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
