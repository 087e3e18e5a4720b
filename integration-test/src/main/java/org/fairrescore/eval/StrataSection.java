package org.fairrescore.eval;

import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.metrics.Ndcg;
import org.fairrescore.eval.metrics.Recall;
import org.fairrescore.eval.metrics.Strata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Strata of a query set: NDCG@k per query stratum (head / torso / tail) with the unweighted mean beside the
 * traffic-weighted (post-stratified) one, and per shop tier (head / mid / tail by catalog size) NDCG@k and recall@k
 * of the tier's relevant items, unweighted and traffic-weighted; the weights are shown.
 */
final class StrataSection {

    private final QuerySet set;

    StrataSection(QuerySet set) {
        this.set = set;
    }

    /** The tier of a hit's or item's shop in its catalog; items without a shop count as tail (a group of one). */
    private String tier(int query, String shop) {
        if (shop == null) {
            return "tail";
        }
        return QuerySet.shopTiers(set.queries().get(query).dataset()).getOrDefault(shop, "tail");
    }

    /** NDCG@k counting only the gains of items of shops in {@code tier} (ideal: the tier's judged items); NaN if none. */
    double[] tierNdcg(String config, String tier) {
        double[] out = new double[set.queries().size()];
        for (int i = 0; i < out.length; i++) {
            QuerySet.Entry e = set.queries().get(i);
            JudgedQuery q = e.judged();
            Map<String, Item> items = QuerySet.items(e.dataset());
            List<Double> judged = new ArrayList<>();
            for (Map.Entry<String, Double> g : q.gains().entrySet()) {
                Item item = items.get(g.getKey());
                if (item != null && tier(i, item.shop()).equals(tier)) {
                    judged.add(g.getValue());
                }
            }
            List<Searches.Hit> top = set.top(config, i);
            double[] gains = new double[top.size()];
            for (int r = 0; r < gains.length; r++) {
                gains[r] = tier(i, top.get(r).shop()).equals(tier) ? q.gain(top.get(r).id()) : 0;
            }
            out[i] = Ndcg.at(set.k(), gains, judged.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out;
    }

    /** Capped recall@k of the relevant (gain > 0) items of shops in {@code tier}; NaN for queries with none. */
    double[] tierRecall(String config, String tier) {
        double[] out = new double[set.queries().size()];
        for (int i = 0; i < out.length; i++) {
            QuerySet.Entry e = set.queries().get(i);
            Map<String, Item> items = QuerySet.items(e.dataset());
            Set<String> relevant = new LinkedHashSet<>();
            for (Map.Entry<String, Double> g : e.judged().gains().entrySet()) {
                Item item = items.get(g.getKey());
                if (g.getValue() > 0 && item != null && tier(i, item.shop()).equals(tier)) {
                    relevant.add(g.getKey());
                }
            }
            out[i] = Recall.cappedAt(set.k(), set.top(config, i).stream().map(Searches.Hit::id).toList(), relevant);
        }
        return out;
    }

    Table queryStrata() {
        int k = set.k();
        String[] strata = set.strata();
        double[] traffic = set.traffic();
        List<String> header = new ArrayList<>(List.of("configuration"));
        for (String s : Strata.QUERY_STRATA) {
            header.add("NDCG@" + k + " " + s + " queries");
        }
        header.add("NDCG@" + k + " unweighted mean");
        header.add("NDCG@" + k + " traffic-weighted");
        Table t = new Table(header);
        List<String> weights = new ArrayList<>(List.of("(queries; share of traffic)"));
        for (String s : Strata.QUERY_STRATA) {
            long n = java.util.Arrays.stream(strata).filter(s::equals).count();
            weights.add(String.format(Locale.ROOT, "n=%d; %.1f%%", n, 100 * Strata.weight(traffic, strata, s)));
        }
        weights.add(String.format(Locale.ROOT, "each query 1/%d", strata.length));
        weights.add("each stratum its traffic share");
        t.row(weights);
        for (String c : set.configs()) {
            double[] ndcg = set.ndcg(c);
            List<String> row = new ArrayList<>(List.of(c));
            for (String s : Strata.QUERY_STRATA) {
                row.add(f3(Strata.mean(ndcg, strata, s)));
            }
            row.add(f3(Strata.mean(ndcg, fill(strata.length), "all")));
            row.add(f3(Strata.poststratified(ndcg, strata, traffic, Strata.QUERY_STRATA)));
            t.row(row);
        }
        return t;
    }

    Table shopTiers() {
        int k = set.k();
        double[] traffic = set.traffic();
        List<String> header = new ArrayList<>(List.of("configuration"));
        for (String tier : Strata.SHOP_TIERS) {
            header.add("NDCG@" + k + " of " + tier + "-shop items");
        }
        for (String tier : Strata.SHOP_TIERS) {
            header.add("recall@" + k + " " + tier + " shops");
        }
        header.add("tail-shop recall@" + k + " traffic-weighted");
        header.add("tail-shop NDCG@" + k + " traffic-weighted");
        Table t = new Table(header);
        List<String> weights = new ArrayList<>(List.of("(queries with relevant items of the tier)"));
        String first = set.configs().get(0);
        for (int pass = 0; pass < 2; pass++) {
            for (String tier : Strata.SHOP_TIERS) {
                weights.add("n=" + Strata.present(tierRecall(first, tier)).size());
            }
        }
        weights.add("each query its traffic share");
        weights.add("each query its traffic share");
        t.row(weights);
        for (String c : set.configs()) {
            List<String> row = new ArrayList<>(List.of(c));
            for (String tier : Strata.SHOP_TIERS) {
                row.add(f3(Strata.mean(tierNdcg(c, tier), fill(traffic.length), "all")));
            }
            for (String tier : Strata.SHOP_TIERS) {
                row.add(f3(Strata.mean(tierRecall(c, tier), fill(traffic.length), "all")));
            }
            row.add(f3(Strata.weightedMean(tierRecall(c, "tail"), traffic)));
            row.add(f3(Strata.weightedMean(tierNdcg(c, "tail"), traffic)));
            t.row(row);
        }
        return t;
    }

    private static String[] fill(int n) {
        String[] out = new String[n];
        java.util.Arrays.fill(out, "all");
        return out;
    }

    List<String> notes() {
        int k = set.k();
        List<String> l = new ArrayList<>();
        l.add("Labels: " + (set.realLabels() ? "real human judgments" : "generated by the seeded catalog, not human")
            + " (" + set.name() + ").");
        l.add("Query strata: " + set.strataRule() + " Traffic: each query's share of a Zipf stream (exponent "
            + Replay.ZIPF_EXPONENT + ", popularity ranks shuffled with seed " + Replay.STREAM_SEED + ", the replay's "
            + "stream model), so a few queries carry most searches. Unweighted: every query counts once (the set as "
            + "sampled); traffic-weighted: each stratum's mean weighted by its share of traffic (post-stratification), "
            + "the mean a search would see.");
        l.add("Shop tiers by catalog size: shops sorted largest first; head = the big shops listing the first third of "
            + "the catalog's products, mid = the next third, tail = the rest (many small shops). NDCG@" + k + " of a "
            + "tier's items: gains of that tier's judged items only (others count 0), normalised by the tier's ideal "
            + "ranking; recall@" + k + ": share of the tier's relevant (gain > 0) items in the top " + k + ", capped "
            + "(found / min(" + k + ", relevant)); both averaged over the queries that have relevant items of the "
            + "tier (n in the first row). The traffic-weighted columns weight each query by its traffic share.");
        return l;
    }

    String markdown(String heading) {
        StringBuilder md = new StringBuilder("\n").append(heading).append(" Strata: query strata and shop tiers\n\n");
        notes().forEach(l -> md.append("- ").append(l).append('\n'));
        md.append("\nQuery strata:\n\n").append(queryStrata().markdown());
        md.append("\nShop tiers:\n\n").append(shopTiers().markdown());
        return md.toString();
    }

    String html(String tag) {
        StringBuilder h = new StringBuilder("<").append(tag).append(">Strata: query strata and shop tiers</")
            .append(tag).append(">\n<ul class=\"note\">\n");
        notes().forEach(l -> h.append("<li>").append(Table.escape(l)).append("</li>\n"));
        h.append("</ul>\n<p>Query strata</p>\n").append(queryStrata().html());
        h.append("<p>Shop tiers</p>\n").append(shopTiers().html());
        return h.toString();
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
