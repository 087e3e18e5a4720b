package org.fairrescore.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fairrescore.reliability.Http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The searches of the report and what it reads from their answers. */
final class Searches {

    /** A hit as the metrics see it. */
    record Hit(String id, String shop) {
    }

    /** One search: its hits in order, the node's {@code took} and the client's round trip. */
    record Result(List<Hit> hits, long tookMillis, long roundTripMillis) {
    }

    /**
     * What explain says about the top k: the FA*IR minimum at each position ({@code top i needs m protected}; null
     * for other modes), the positions where the plugin says the quota cannot be met, and how many of the hits were
     * scored with a stored vector and how many with one embedded on the fly.
     */
    record Explained(int[] minimums, List<Integer> unmetPositions, int storedVectors, int onTheFly) {
    }

    private static final Pattern POSITION = Pattern.compile("position (\\d+) \\(first pass \\d+\\)");
    private static final Pattern NEEDS = Pattern.compile("top (\\d+) needs (\\d+) protected");

    private final Http client;
    private final RunSettings settings;

    Searches(Http client, RunSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** The first-pass query: the demo's {@code multi_match} over title^2 and description. */
    ObjectNode bm25(String query, int size) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        ObjectNode multiMatch = body.putObject("query").putObject("multi_match");
        multiMatch.put("query", query);
        multiMatch.putArray("fields").add("title^2").add("description");
        body.put("size", size);
        body.putArray("_source").add("shop");
        return body;
    }

    /** The same query rescored by {@code fair_semantic} over the window; the quota comes from the index's mode. */
    ObjectNode rescored(String query, int size) {
        ObjectNode body = bm25(query, size);
        ObjectNode rescore = body.putObject("rescore");
        rescore.put("window_size", settings.window());
        ObjectNode clause = rescore.putObject("fair_semantic");
        clause.put("query_text", query);
        settings.fields().forEach(clause.putArray("fields")::add);
        if (settings.semanticWeight() != null) {
            clause.put("semantic_weight", settings.semanticWeight());
        }
        return body;
    }

    Result search(String index, ObjectNode request) {
        long start = System.nanoTime();
        Http.Reply r = client.expect("POST", "/" + index + "/_search", request);
        long roundTrip = (System.nanoTime() - start) / 1_000_000;
        return new Result(hits(r.json()), r.json().path("took").asLong(-1), roundTrip);
    }

    /** Explain of the rescored top k under the index's current mode. */
    Explained explain(String index, String query) {
        ObjectNode request = rescored(query, settings.k());
        request.put("explain", true);
        Http.Reply r = client.expect("POST", "/" + index + "/_search", request);
        return explained(r.json(), settings.k());
    }

    static List<Hit> hits(JsonNode response) {
        JsonNode hits = response.path("hits").path("hits");
        if (hits.isArray() == false) {
            throw new IllegalStateException("search response has no hits array: " + response);
        }
        List<Hit> out = new ArrayList<>();
        for (JsonNode h : hits) {
            JsonNode shop = h.path("_source").path("shop");
            out.add(new Hit(h.path("_id").asText(), shop.isTextual() ? shop.asText() : null));
        }
        return out;
    }

    static Explained explained(JsonNode response, int k) {
        JsonNode hits = response.path("hits").path("hits");
        int n = Math.min(k, hits.size());
        int[] minimums = new int[n];
        boolean sawMinimum = false;
        List<Integer> unmet = new ArrayList<>();
        int stored = 0;
        int onTheFly = 0;
        for (int i = 0; i < n; i++) {
            JsonNode explanation = hits.get(i).path("_explanation");
            if (explanation.isMissingNode()) {
                throw new IllegalStateException("hit " + (i + 1) + " has no _explanation: " + hits.get(i));
            }
            List<String> descriptions = new ArrayList<>();
            collect(explanation, descriptions);
            Matcher position = POSITION.matcher(descriptions.get(0));
            if (position.find() == false || Integer.parseInt(position.group(1)) != i + 1) {
                throw new IllegalStateException("hit " + (i + 1) + " does not explain position " + (i + 1) + ": "
                    + descriptions.get(0));
            }
            for (String d : descriptions) {
                Matcher needs = NEEDS.matcher(d);
                if (needs.find()) {
                    if (Integer.parseInt(needs.group(1)) != i + 1) {
                        throw new IllegalStateException("hit " + (i + 1) + " explains the FA*IR minimum of position "
                            + needs.group(1));
                    }
                    minimums[i] = Integer.parseInt(needs.group(2));
                    sawMinimum = true;
                }
                if (d.contains("cannot be met here")) {
                    unmet.add(i + 1);
                }
                if (d.startsWith("cosine(query, document) with the vector stored in")) {
                    stored++;
                } else if (d.startsWith("cosine(query, document) on fields") && d.contains("embedded on the fly")) {
                    onTheFly++;
                }
            }
        }
        return new Explained(sawMinimum ? minimums : null, List.copyOf(unmet), stored, onTheFly);
    }

    private static void collect(JsonNode explanation, List<String> out) {
        out.add(explanation.path("description").asText(""));
        for (JsonNode d : explanation.path("details")) {
            collect(d, out);
        }
    }
}
