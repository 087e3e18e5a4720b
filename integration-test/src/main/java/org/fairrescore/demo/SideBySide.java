package org.fairrescore.demo;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a BM25 top 10 next to a {@code fair_semantic} top 10, with per-column shop and relevance summaries. */
final class SideBySide {

    static final int TITLE_WIDTH = 38;
    static final int SHOP_WIDTH = 14;
    private static final String SEPARATOR = " | ";

    private SideBySide() {
    }

    /** How many shops a result list shows and how concentrated it is. */
    record ShopStats(int distinct, int max, String maxShop) {
    }

    static ShopStats shopStats(List<DemoIndex.Hit> hits) {
        Map<String, Integer> perShop = new LinkedHashMap<>();
        for (DemoIndex.Hit h : hits) {
            perShop.merge(h.shop(), 1, Integer::sum);
        }
        String maxShop = "";
        int max = 0;
        for (Map.Entry<String, Integer> e : perShop.entrySet()) {
            if (e.getValue() > max) {
                max = e.getValue();
                maxShop = e.getKey();
            }
        }
        return new ShopStats(perShop.size(), max, maxShop);
    }

    /**
     * @param judged      the demo query's judgments, or {@code null} for a query without them
     * @param bm25Window  the BM25 order of the rescore window (ids), to show where each rescored hit came from
     */
    static String render(String query, DemoIndex.Result bm25, DemoIndex.Result fair, DemoQuery judged,
                         List<String> bm25Window) {
        Map<String, Integer> bm25Rank = new HashMap<>();
        for (int i = 0; i < bm25Window.size(); i++) {
            bm25Rank.putIfAbsent(bm25Window.get(i), i + 1);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Query \"%s\"   BM25 %d ms (took %d ms)   fair_semantic %d ms (took %d ms)%n",
            query, bm25.roundTripMillis(), bm25.tookMillis(), fair.roundTripMillis(), fair.tookMillis()));
        String left = String.format(Locale.ROOT, "%2s %s %-" + TITLE_WIDTH + "s %-" + SHOP_WIDTH + "s", "#", " ",
            "BM25", "shop");
        String right = String.format(Locale.ROOT, "%s %-" + TITLE_WIDTH + "s %-" + SHOP_WIDTH + "s %5s", " ",
            "fair_semantic", "shop", "bm25#");
        out.append(left).append(SEPARATOR).append(right).append(System.lineSeparator());
        int rows = Math.max(bm25.hits().size(), fair.hits().size());
        for (int i = 0; i < rows; i++) {
            out.append(String.format(Locale.ROOT, "%2d ", i + 1));
            out.append(i < bm25.hits().size() ? cell(bm25.hits().get(i), judged) : blank());
            out.append(SEPARATOR);
            if (i < fair.hits().size()) {
                DemoIndex.Hit h = fair.hits().get(i);
                Integer from = bm25Rank.get(h.id());
                out.append(cell(h, judged)).append(String.format(Locale.ROOT, " %5s", from == null ? ">" + bm25Window.size()
                    : "#" + from));
            }
            out.append(System.lineSeparator());
        }
        ShopStats a = shopStats(bm25.hits());
        ShopStats b = shopStats(fair.hits());
        int width = 3 + blank().length();
        out.append(pad("   shops: " + describe(a), width)).append(SEPARATOR).append("shops: ").append(describe(b))
            .append(System.lineSeparator());
        if (judged != null) {
            out.append(pad("   relevance: " + relevance(bm25.hits(), judged), width)).append(SEPARATOR)
                .append("relevance: ").append(relevance(fair.hits(), judged)).append(System.lineSeparator());
        }
        return out.toString();
    }

    static String describe(ShopStats s) {
        return String.format(Locale.ROOT, "%d distinct, max %d per shop (%s)", s.distinct(), s.max(), s.maxShop());
    }

    static String relevance(List<DemoIndex.Hit> hits, DemoQuery judged) {
        int exact = 0;
        int partial = 0;
        for (DemoIndex.Hit h : hits) {
            switch (judged.grade(h.id())) {
                case EXACT -> exact++;
                case PARTIAL -> partial++;
                case IRRELEVANT -> {
                }
            }
        }
        return String.format(Locale.ROOT, "%d exact, %d partial, %d off-target", exact, partial,
            hits.size() - exact - partial);
    }

    /** "+" exact, "~" partial, "-" off-target (a lexical distractor), " " when the query has no judgments. */
    static char mark(DemoQuery judged, String id) {
        if (judged == null) {
            return ' ';
        }
        return switch (judged.grade(id)) {
            case EXACT -> '+';
            case PARTIAL -> '~';
            case IRRELEVANT -> '-';
        };
    }

    private static String cell(DemoIndex.Hit h, DemoQuery judged) {
        return String.format(Locale.ROOT, "%s %-" + TITLE_WIDTH + "s %-" + SHOP_WIDTH + "s", mark(judged, h.id()),
            truncate(h.title(), TITLE_WIDTH), truncate(h.shop(), SHOP_WIDTH));
    }

    private static String blank() {
        return " ".repeat(2 + TITLE_WIDTH + 1 + SHOP_WIDTH);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String truncate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
