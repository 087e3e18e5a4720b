package org.fairrescore.eval.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ESCI judgments in the OpenSearch search-relevance import format
 * ({@code {"judgmentRatings": [{"query": ..., "ratings": [{"docId": ..., "rating": "100.000"}]}]}}, ratings 100 =
 * Exact, 10 = Substitute, 1 = Complement, 0 = Irrelevant), as shipped in {@code shared/data/esci/}. It holds no
 * product text, so it gives labels and gains, not a catalog to index.
 */
public final class EsciJudgments {

    /** One judged query: its text and the label of each product (ASIN), in file order. */
    public record Query(String text, Map<String, EsciLabel> labels) {
        public JudgedQuery judged(String id, EsciGains gains) {
            Map<String, Double> g = new LinkedHashMap<>();
            labels.forEach((doc, label) -> g.put(doc, gains.gain(label)));
            return new JudgedQuery(id, text, g);
        }
    }

    private EsciJudgments() {}

    public static List<Query> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ESCI judgments " + file + ": " + e.getMessage(), e);
        }
        JsonNode ratings = root.path("judgmentRatings");
        if (ratings.isArray() == false) {
            throw new IllegalArgumentException(file + " has no judgmentRatings array");
        }
        List<Query> out = new ArrayList<>();
        for (JsonNode q : ratings) {
            Map<String, EsciLabel> labels = new LinkedHashMap<>();
            for (JsonNode r : q.path("ratings")) {
                labels.put(r.path("docId").asText(), EsciLabel.parse(r.path("rating").asText()));
            }
            out.add(new Query(q.path("query").asText(), labels));
        }
        return out;
    }
}
