package org.fairrescore.eval;

import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.metrics.PairedBootstrap;
import org.fairrescore.eval.metrics.SignTest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Paired statistics of a query set: per comparison (a configuration against its baseline) the per-query NDCG@k
 * differences, their mean with the paired bootstrap 95% interval ({@link PairedBootstrap}, fixed seed), wins / ties /
 * losses and the exact sign test ({@link SignTest}); and "what got worse": the queries with the largest NDCG@k loss,
 * with the top 5 before and after.
 */
final class PairedSection {

    /** Queries listed per "what got worse" comparison. */
    static final int WORST = 3;
    /** Positions shown before and after. */
    static final int TOP = 5;
    /** Longest title shown in the lists. */
    static final int TITLE_CHARS = 60;

    /** {@code other} against {@code base}; {@code worse}: list the queries it lost. */
    record Pair(String base, String other, boolean worse) {
        String label() {
            return other + " vs " + base;
        }
    }

    /** One comparison's numbers. */
    record Row(Pair pair, PairedBootstrap.Comparison comparison, double signP, double[] diffs) {
    }

    private final QuerySet set;
    private final List<Row> rows = new ArrayList<>();

    PairedSection(QuerySet set, List<Pair> pairs) {
        this.set = set;
        for (Pair p : pairs) {
            double[] base = set.ndcg(p.base());
            double[] other = set.ndcg(p.other());
            PairedBootstrap.Comparison c = PairedBootstrap.compare(base, other);
            double[] diffs = new double[base.length];
            for (int i = 0; i < diffs.length; i++) {
                diffs[i] = other[i] - base[i];
            }
            rows.add(new Row(p, c, SignTest.pValue(c.wins(), c.losses()), diffs));
        }
    }

    List<Row> rows() {
        return rows;
    }

    Table paired() {
        int k = set.k();
        Table t = new Table(List.of("comparison", "queries", "baseline NDCG@" + k, "NDCG@" + k,
            "Δ NDCG@" + k + " [95% paired bootstrap CI]", "wins / ties / losses", "sign test p (two-sided)"));
        for (Row r : rows) {
            PairedBootstrap.Comparison c = r.comparison();
            t.row(List.of(r.pair().label(), Integer.toString(c.n()), f3(c.baseMean()), f3(c.mean()),
                String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]%s", c.meanDiff(), c.low(), c.high(),
                    c.low() > 0 || c.high() < 0 ? " *" : ""),
                c.wins() + " / " + c.ties() + " / " + c.losses(), p(r.signP())));
        }
        return t;
    }

    /** The worst queries of every comparison marked {@code worse}, top 5 before and after, one row per position. */
    Table worse() {
        int k = set.k();
        Table t = new Table(List.of("comparison: query", "NDCG@" + k + " before → after", "rank",
            "before: shop · title · label", "after: shop · title · label"));
        for (Row r : rows) {
            if (r.pair().worse() == false) {
                continue;
            }
            List<Integer> lost = worst(r.diffs(), WORST);
            if (lost.isEmpty()) {
                t.row(List.of(r.pair().label() + ": no query lost NDCG@" + k, "—", "—", "—", "—"));
                continue;
            }
            double[] before = set.ndcg(r.pair().base());
            double[] after = set.ndcg(r.pair().other());
            for (int q : lost) {
                List<Searches.Hit> b = set.top(r.pair().base(), q);
                List<Searches.Hit> a = set.top(r.pair().other(), q);
                for (int pos = 0; pos < TOP; pos++) {
                    t.row(List.of(pos == 0 ? r.pair().label() + ": \"" + set.queries().get(q).judged().text() + "\"" : "",
                        pos == 0 ? String.format(Locale.ROOT, "%.3f → %.3f (%+.3f)", before[q], after[q], r.diffs()[q])
                            : "",
                        Integer.toString(pos + 1), pos < b.size() ? describe(q, b.get(pos)) : "—",
                        pos < a.size() ? describe(q, a.get(pos)) : "—"));
                }
            }
        }
        return t;
    }

    /** Indices of up to n queries with a loss (difference below -{@link PairedBootstrap#TIE}), largest loss first. */
    static List<Integer> worst(double[] diffs, int n) {
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < diffs.length; i++) {
            if (diffs[i] < -PairedBootstrap.TIE) {
                lost.add(i);
            }
        }
        lost.sort(Comparator.comparingDouble((Integer i) -> diffs[i]).thenComparingInt(i -> i));
        return lost.subList(0, Math.min(n, lost.size()));
    }

    private String describe(int query, Searches.Hit hit) {
        QuerySet.Entry e = set.queries().get(query);
        JudgedQuery q = e.judged();
        Item item = QuerySet.items(e.dataset()).get(hit.id());
        String title = item == null ? hit.id() : item.title();
        if (title.length() > TITLE_CHARS) {
            title = title.substring(0, TITLE_CHARS - 1) + "…";
        }
        String label = q.gains().containsKey(hit.id()) ? set.labelName().apply(q.gain(hit.id())) : "unlabelled";
        return (hit.shop() == null ? "(no shop)" : hit.shop()) + " · " + title + " · " + label;
    }

    /** The section's lines on method. */
    List<String> notes() {
        int k = set.k();
        List<String> l = new ArrayList<>();
        l.add("Paired over the same " + set.queries().size() + " queries (" + set.name() + "; "
            + (set.realLabels() ? "real human labels" : "generated labels") + "): Δ is the mean of the per-query "
            + "NDCG@" + k + " differences (configuration minus baseline), with a 95% percentile bootstrap interval ("
            + String.format(Locale.ROOT, "%,d", PairedBootstrap.RESAMPLES) + " resamples of the queries, seed "
            + PairedBootstrap.SEED + "); * marks an interval that excludes 0.");
        l.add("Sign test: exact two-sided binomial test of wins against losses (ties dropped; commons-math3 "
            + "BinomialDistribution, p = min(1, 2 P(X ≤ min(wins, losses))), X ~ Binomial(wins + losses, 1/2)).");
        l.add("What got worse: per comparison the " + WORST + " queries with the largest NDCG@" + k + " loss, their "
            + "top " + TOP + " under the baseline (before) and the configuration (after); label = the query's "
            + "judgment of the product, unlabelled = not judged (gain 0).");
        return l;
    }

    String markdown(String heading) {
        StringBuilder md = new StringBuilder("\n").append(heading).append(" Paired statistics (NDCG@").append(set.k())
            .append(")\n\n");
        notes().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append('\n').append(paired().markdown());
        md.append('\n').append(heading).append(" What got worse\n\n").append(worse().markdown());
        return md.toString();
    }

    String html(String tag) {
        StringBuilder h = new StringBuilder("<").append(tag).append(">Paired statistics (NDCG@").append(set.k())
            .append(")</").append(tag).append(">\n<ul class=\"note\">\n");
        notes().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n").append(paired().html());
        h.append("<").append(tag).append(">What got worse</").append(tag).append(">\n").append(worse().html());
        return h.toString();
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String p(double v) {
        return v < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", v);
    }
}
