package org.fairrescore.eval;

import org.fairrescore.eval.metrics.Estimate;
import org.fairrescore.eval.metrics.ListDiversity;
import org.fairrescore.eval.metrics.PairedBootstrap;
import org.fairrescore.eval.metrics.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report's diversity section: per measured query set ({@link DiversityRun.Results}: the seeded catalogs, the
 * WANDS subset) one table of NDCG@k with its paired bootstrap difference to the baseline, intra-list similarity with
 * its relative change to the baseline (paired bootstrap interval of the ratio of means), distinct categories and the
 * near-duplicate rate, and one sentence, computed from the table, on what it shows.
 */
final class DiversitySection {

    static final String TITLE = "Diversity: MMR, near duplicates and several rules";

    /** One configuration's numbers on one query set. */
    record Row(DiversityRun.Config config, Estimate ndcg, PairedBootstrap.Comparison ndcgVsBase, Estimate ils,
               double ilsChange, double[] ilsChangeCi, Estimate categories, Estimate nearDuplicates) {
    }

    private final List<DiversityRun.Results> sets;
    /** Per query set, its rows (the bootstrap runs once, not once per rendering). */
    private final List<List<Row>> rows = new ArrayList<>();
    /** Why a query set is missing (e.g. no stored vectors), one line each; may be empty. */
    private final List<String> missing;

    DiversitySection(List<DiversityRun.Results> sets, List<String> missing) {
        this.sets = List.copyOf(sets);
        this.missing = List.copyOf(missing);
        this.sets.forEach(r -> rows.add(rows(r)));
    }

    List<DiversityRun.Results> sets() {
        return sets;
    }

    /** The rows of one query set, the baseline (its first configuration) first. */
    static List<Row> rows(DiversityRun.Results r) {
        List<DiversityRun.Measured> base = r.measured().get(r.configs().get(0).id());
        double[] baseNdcg = values(base, DiversityRun.Measured::ndcg);
        double[] baseIls = values(base, DiversityRun.Measured::ils);
        List<Row> out = new ArrayList<>();
        for (DiversityRun.Config c : r.configs()) {
            List<DiversityRun.Measured> m = r.measured().get(c.id());
            double[] ndcg = values(m, DiversityRun.Measured::ndcg);
            double[] ils = values(m, DiversityRun.Measured::ils);
            // queries with fewer than two hits in either list have no ILS: left out of the paired ratio; a ratio
            // needs a positive baseline in every resample, which only positive baseline values guarantee
            double[][] paired = bothMeasured(baseIls, ils);
            double change = Double.NaN;
            double[] ci = {Double.NaN, Double.NaN};
            if (paired[0].length > 0 && java.util.Arrays.stream(paired[0]).allMatch(x -> x > 0)) {
                change = Stats.mean(paired[1]) / Stats.mean(paired[0]) - 1;
                ci = PairedBootstrap.ratioInterval(paired[0], paired[1]);
            }
            out.add(new Row(c, Stats.meanCi(ndcg), PairedBootstrap.compare(baseNdcg, ndcg), Stats.meanCi(ils), change,
                new double[] {ci[0] - 1, ci[1] - 1}, Stats.meanCi(values(m, x -> x.distinctCategories())),
                Stats.meanCi(values(m, DiversityRun.Measured::nearDuplicateRate))));
        }
        return out;
    }

    /** The table of the i-th query set. */
    Table table(int set) {
        DiversityRun.Results r = sets.get(set);
        List<Row> rows = this.rows.get(set);
        int k = r.k();
        Table t = new Table(List.of("configuration", "NDCG@" + k,
            "Δ NDCG@" + k + " vs baseline [95% paired bootstrap CI]", "ILS@" + k + " (mean pairwise cosine)",
            "ILS@" + k + " vs baseline [95% CI]", "distinct categories@" + k, "near-duplicate rate@" + k));
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            boolean base = i == 0;
            PairedBootstrap.Comparison c = row.ndcgVsBase();
            t.row(List.of(row.config().id(), row.ndcg().format(3),
                base ? "—" : String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]%s", c.meanDiff(), c.low(), c.high(),
                    significant(c.low(), c.high()) ? " *" : ""),
                row.ils().format(3), base ? "—" : ilsChange(row), row.categories().format(2),
                row.nearDuplicates().format(3)));
        }
        return t;
    }

    /** One sentence per query set from its table: what each configuration did to ILS and NDCG against the baseline. */
    String reading(int set) {
        DiversityRun.Results r = sets.get(set);
        List<Row> rows = this.rows.get(set);
        Row base = rows.get(0);
        List<String> parts = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            PairedBootstrap.Comparison c = row.ndcgVsBase();
            String ils = Double.isNaN(row.ilsChange()) ? "ILS change n/a"
                : String.format(Locale.ROOT, "ILS %+.1f %%%s", 100 * row.ilsChange(),
                    significant(row.ilsChangeCi()[0], row.ilsChangeCi()[1]) ? "" : " (interval includes 0)");
            parts.add(String.format(Locale.ROOT, "%s: %s, NDCG@%d %+.3f (%s), near duplicates %.3f → %.3f",
                row.config().id(), ils, r.k(),
                c.meanDiff(), significant(c.low(), c.high()) ? "interval excludes 0" : "interval includes 0",
                base.nearDuplicates().value(), row.nearDuplicates().value()));
        }
        return "Against the baseline (" + r.queries().size() + " queries) — " + String.join("; ", parts) + ".";
    }

    List<String> notes() {
        List<String> l = new ArrayList<>();
        int k = sets.isEmpty() ? RealData.K : sets.get(0).k();
        l.add("Each query is searched once per configuration on the index its section loaded (same first pass, window "
            + "and stored vectors); the configurations are clause overrides of the fair_semantic rescore: quota "
            + "{\"mode\": \"none\"} and diversity {\"lambda\": 1, \"duplicate_threshold\": 1} for the baseline (the "
            + "default fair_semantic, no MMR), diversity.lambda " + DiversityRun.num(DiversityRun.MMR_LAMBDA_HIGH)
            + " / " + DiversityRun.num(DiversityRun.MMR_LAMBDA_LOW) + " (depth: the index default, 20 positions), "
            + "diversity.duplicate_threshold " + DiversityRun.num(DiversityRun.DUPLICATE_THRESHOLD) + " alone, and "
            + "the combined rule set: quota mode [cap, group_fair_topk] with max_per_shop " + DiversityRun.CAP
            + ", cap_window " + DiversityRun.CAP_WINDOW + " and group_minimums by shop tier, plus MMR and near "
            + "duplicates. For the searches each index gets " + DiversityRun.OVERRIDE + ": true and "
            + DiversityRun.GROUPS_FIELD + " = its shop-tier field; both are reset to their defaults afterwards.");
        l.add("ILS@" + k + " (intra-list similarity): mean cosine over the " + (k * (k - 1) / 2) + " pairs of the top "
            + k + ", from the hits' stored fair_rescore_vector vectors read back in _source (normalised); lower = "
            + "more varied. Its change vs the baseline is mean ILS over the baseline's mean ILS − 1, with a 95% "
            + "percentile bootstrap interval of that ratio (queries resampled in pairs).");
        l.add("Distinct categories@" + k + ": categories among the top " + k + " (per query set below). Near-duplicate "
            + "rate@" + k + ": the share of the top " + k + " whose cosine to a hit ranked above it is at least "
            + DiversityRun.num(ListDiversity.NEAR_DUPLICATE) + " (the same threshold the near-duplicate "
            + "configurations demote at).");
        l.add("NDCG@" + k + " as elsewhere in this report; Δ vs baseline: mean per-query difference with the 95% "
            + "paired bootstrap interval (" + String.format(Locale.ROOT, "%,d", PairedBootstrap.RESAMPLES)
            + " resamples, seed " + PairedBootstrap.SEED + "); * marks an interval without 0. Other cells: mean ± "
            + "95% t interval over the queries.");
        missing.forEach(l::add);
        return l;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("\n## ").append(TITLE).append("\n\n");
        notes().forEach(l -> md.append("- ").append(l).append('\n'));
        for (int i = 0; i < sets.size(); i++) {
            DiversityRun.Results r = sets.get(i);
            md.append("\n### ").append(caption(r)).append("\n\n");
            md.append("- ").append(describe(r)).append('\n').append("- ").append(reading(i)).append("\n\n");
            md.append(table(i).markdown());
        }
        return md.toString();
    }

    String html() {
        StringBuilder h = new StringBuilder("<h2>").append(Table.escape(TITLE)).append("</h2>\n<ul class=\"note\">\n");
        notes().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n");
        for (int i = 0; i < sets.size(); i++) {
            DiversityRun.Results r = sets.get(i);
            h.append("<h3>").append(Table.escape(caption(r))).append("</h3>\n<ul class=\"note\">\n");
            h.append("<li>").append(Table.escape(describe(r))).append("</li>\n");
            h.append("<li>").append(Table.escape(reading(i))).append("</li>\n</ul>\n");
            h.append(table(i).html());
        }
        return h.toString();
    }

    static String caption(DiversityRun.Results r) {
        return "Diversity: " + r.name();
    }

    static String describe(DiversityRun.Results r) {
        return String.format(Locale.ROOT, "%d queries × %d configurations = %d searches in %.1f s. Categories: %s.",
            r.queries().size(), r.configs().size(), r.searches(), r.seconds(), r.categoryField());
    }

    private static String ilsChange(Row row) {
        if (Double.isNaN(row.ilsChange())) {
            return "n/a (baseline ILS not positive)";
        }
        double[] ci = row.ilsChangeCi();
        return String.format(Locale.ROOT, "%+.1f %% [%+.1f, %+.1f]%s", 100 * row.ilsChange(), 100 * ci[0], 100 * ci[1],
            significant(ci[0], ci[1]) ? " *" : "");
    }

    private static boolean significant(double low, double high) {
        return low > 0 || high < 0;
    }

    private static double[] values(List<DiversityRun.Measured> m, ToDoubleFunction<DiversityRun.Measured> f) {
        return m.stream().mapToDouble(f).toArray();
    }

    /** The pairs where both values are measured (not NaN): {base, other}. */
    static double[][] bothMeasured(double[] base, double[] other) {
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < base.length; i++) {
            if (Double.isNaN(base[i]) == false && Double.isNaN(other[i]) == false) {
                kept.add(new double[] {base[i], other[i]});
            }
        }
        double[][] out = new double[2][kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            out[0][i] = kept.get(i)[0];
            out[1][i] = kept.get(i)[1];
        }
        return out;
    }
}
