package org.fairrescore.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lucene's BM25 (k1 1.2, b 0.75) over the catalog, scoring like
 * {@code multi_match {fields: [title^2, description]}} (best_fields: the best field's score, no tie breaker), with
 * ties in index order. Norms are exact lengths rather than Lucene's one-byte encoding, so scores are close to, not
 * equal to, a node's.
 */
final class Bm25 {
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private final List<Product> products;
    private final List<List<String>> titles = new ArrayList<>();
    private final List<List<String>> descriptions = new ArrayList<>();
    private final Map<String, Integer> titleDf = new HashMap<>();
    private final Map<String, Integer> descriptionDf = new HashMap<>();
    private final double titleAvg;
    private final double descriptionAvg;

    Bm25(List<Product> products) {
        this.products = List.copyOf(products);
        long titleLen = 0;
        long descLen = 0;
        for (Product p : products) {
            List<String> t = Tokens.of(p.title());
            List<String> d = Tokens.of(p.description());
            titles.add(t);
            descriptions.add(d);
            titleLen += t.size();
            descLen += d.size();
            t.stream().distinct().forEach(w -> titleDf.merge(w, 1, Integer::sum));
            d.stream().distinct().forEach(w -> descriptionDf.merge(w, 1, Integer::sum));
        }
        titleAvg = (double) titleLen / products.size();
        descriptionAvg = (double) descLen / products.size();
    }

    record Hit(Product product, double score) {
    }

    /** The top {@code k} products that match at least one query word, best first. */
    List<Hit> search(String query, int k) {
        List<String> terms = Tokens.of(query).stream().distinct().toList();
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < products.size(); i++) {
            double title = 2 * field(terms, titles.get(i), titleDf, titleAvg);
            double description = field(terms, descriptions.get(i), descriptionDf, descriptionAvg);
            double score = Math.max(title, description);
            if (score > 0) {
                hits.add(new Hit(products.get(i), score));
            }
        }
        // A stable sort keeps index order among equal scores.
        hits.sort(Comparator.comparingDouble(Hit::score).reversed());
        return hits.subList(0, Math.min(k, hits.size()));
    }

    private double field(List<String> terms, List<String> doc, Map<String, Integer> df, double avg) {
        double score = 0;
        int n = products.size();
        for (String term : terms) {
            long tf = doc.stream().filter(term::equals).count();
            if (tf == 0) {
                continue;
            }
            int f = df.getOrDefault(term, 0);
            double idf = Math.log(1 + (n - f + 0.5) / (f + 0.5));
            score += idf * tf / (tf + K1 * (1 - B + B * doc.size() / avg));
        }
        return score;
    }
}
