package org.fairrescore.eval;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardXYItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The report's two PNG charts, drawn headless with JFreeChart. */
final class Charts {

    static final String NDCG_VS_SHARE = "ndcg-vs-shop-share.png";
    static final String EXPOSURE_BY_RANK = "exposure-by-shop-rank.png";
    static final int WIDTH = 960;
    static final int HEIGHT = 600;

    private static final Color[] COLORS = {
        new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28),
        new Color(0x2c, 0xa0, 0x2c), new Color(0x94, 0x67, 0xbd), new Color(0xff, 0x7f, 0x0e)};

    private Charts() {}

    static void write(List<Scoring.Summary> summaries, int k, Path dir) {
        System.setProperty("java.awt.headless", "true");
        save(ndcgVsShare(summaries, k), dir.resolve(NDCG_VS_SHARE));
        save(exposureByRank(summaries, k), dir.resolve(EXPOSURE_BY_RANK));
    }

    /** One point per configuration: mean NDCG@k against the mean largest shop share of top-k exposure, 95% CIs. */
    static JFreeChart ndcgVsShare(List<Scoring.Summary> summaries, int k) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        for (Scoring.Summary s : summaries) {
            XYIntervalSeries series = new XYIntervalSeries(s.config().id());
            double x = s.maxExposureShare().value();
            double y = s.ndcg().value();
            series.add(x, orSelf(s.maxExposureShare().low(), x), orSelf(s.maxExposureShare().high(), x), y,
                orSelf(s.ndcg().low(), y), orSelf(s.ndcg().high(), y));
            data.addSeries(series);
        }
        NumberAxis xAxis = new NumberAxis("largest shop's share of top-" + k + " exposure (mean, 95% CI)");
        NumberAxis yAxis = new NumberAxis("NDCG@" + k + " (mean, 95% CI)");
        xAxis.setAutoRangeIncludesZero(false);
        yAxis.setAutoRangeIncludesZero(false);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultShapesVisible(true);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        renderer.setCapLength(8);
        renderer.setDefaultItemLabelGenerator(new StandardXYItemLabelGenerator("{0}"));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i < summaries.size(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
            renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
        }
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Relevance vs shop concentration", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle("left and up is better: relevant pages that no single shop dominates"));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Share of all top-k exposure by the shop's size rank in its catalog, per configuration. */
    static JFreeChart exposureByRank(List<Scoring.Summary> summaries, int k) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Scoring.Summary s : summaries) {
            for (Map.Entry<String, Double> e : s.exposureByRank().entrySet()) {
                data.addValue(e.getValue(), s.config().id(), e.getKey());
            }
        }
        CategoryAxis xAxis = new CategoryAxis("shop size rank in its catalog (1 = largest shop; doubling buckets)");
        xAxis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        NumberAxis yAxis = new NumberAxis("share of all top-" + k + " exposure");
        yAxis.setNumberFormatOverride(java.text.NumberFormat.getPercentInstance(java.util.Locale.ROOT));
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        for (int i = 0; i < summaries.size(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
        }
        CategoryPlot plot = new CategoryPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Exposure by shop size: head vs long tail", JFreeChart.DEFAULT_TITLE_FONT,
            plot, true);
        chart.addSubtitle(new TextTitle("before (bm25, semantic) and after the quotas (cap, share, fair_topk)"));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static double orSelf(double v, double self) {
        return Double.isNaN(v) ? self : v;
    }

    private static void save(JFreeChart chart, Path file) {
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
