package org.fairrescore.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stand-in for an OpenSearch node with the plugin, enough for the report's REST traffic: index creation, bulk,
 * count, settings, and searches ranked by how many query words the title holds. A rescored search under mode
 * {@code cap} reorders greedily under the index's cap; under {@code fair_topk} explain reports a fixed FA*IR table.
 * It knows nothing of embeddings: it tests the report's plumbing, not the plugin.
 */
final class FakeSearchNode implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int[] FAIR_MINIMUMS = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2};

    record Request(String method, String path, String body) {
    }

    private final HttpServer server;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final Map<String, JsonNode> created = new LinkedHashMap<>();
    final Map<String, List<String>> modes = new LinkedHashMap<>();
    /** Every PUT _settings body, in order. */
    final List<JsonNode> settingsBodies = new ArrayList<>();
    final Map<String, JsonNode> pipelines = new LinkedHashMap<>();
    /** The models {@code GET _plugins/_fair_rescore/stats} says the node loads. */
    final List<String> models = new ArrayList<>(List.of("bge-small-en-v15-q", "all-minilm-l6-v2-q"));
    private final Map<String, Map<String, ObjectNode>> docs = new HashMap<>();

    FakeSearchNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        requests.add(new Request(method, path, body));
        int status = 200;
        String reply;
        try {
            reply = answer(method, path, body);
            if (reply == null) {
                status = 404;
                reply = "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index\"}}";
            }
        } catch (RuntimeException e) {
            status = 500;
            reply = "{\"error\":{\"type\":\"fake_failure\",\"reason\":\"" + e.toString().replace("\"", "'") + "\"}}";
        }
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private String answer(String method, String path, String body) throws IOException {
        String[] parts = path.substring(1).split("/");
        if (path.equals("/")) {
            return "{\"version\":{\"number\":\"3.8.0\"}}";
        }
        if (path.equals("/_cat/plugins")) {
            return "[{\"name\":\"n\",\"component\":\"fair-rescore\",\"version\":\"0.1.0\"}]";
        }
        if (path.equals("/_cluster/health")) {
            return "{\"status\":\"green\"}";
        }
        if (path.equals("/_plugins/_fair_rescore/stats")) {
            ObjectNode stats = JSON.createObjectNode();
            ObjectNode node = stats.putObject("nodes").putObject("n1");
            node.put("name", "fake-1");
            ObjectNode loaded = node.putObject("models");
            models.forEach(m -> loaded.putObject(m).put("id", m).put("dims", 384));
            return stats.toString();
        }
        if (path.startsWith("/_ingest/pipeline/")) {
            String id = path.substring("/_ingest/pipeline/".length());
            if (method.equals("DELETE")) {
                return pipelines.remove(id) == null ? null : "{\"acknowledged\":true}";
            }
            pipelines.put(id, JSON.readTree(body));
            return "{\"acknowledged\":true}";
        }
        if (path.equals("/_bulk")) {
            ArrayNode items = JSON.createArrayNode();
            String[] lines = body.split("\n");
            for (int i = 0; i + 1 < lines.length; i += 2) {
                JsonNode action = JSON.readTree(lines[i]).path("index");
                String target = action.path("_index").asText();
                ObjectNode doc = (ObjectNode) JSON.readTree(lines[i + 1]);
                String vectorField = vectorField(target);
                if (vectorField != null && created.get(target).path("settings").path("index").has("default_pipeline")) {
                    // what the fair_rescore_embed pipeline stores, with the fake's word-count vector
                    ArrayNode stored = doc.putObject(vectorField).put("model", "fake").putArray("vector");
                    for (float v : vector(title(doc))) {
                        stored.add(v);
                    }
                }
                docs.get(target).put(action.path("_id").asText(), doc);
                items.addObject().putObject("index").put("_id", action.path("_id").asText()).put("status", 201);
            }
            ObjectNode r = JSON.createObjectNode().put("errors", false);
            r.set("items", items);
            return r.toString();
        }
        String index = parts[0];
        if (parts.length == 1) {
            if (method.equals("DELETE")) {
                return docs.remove(index) == null ? null : "{\"acknowledged\":true}";
            }
            created.put(index, JSON.readTree(body));
            docs.put(index, new LinkedHashMap<>());
            modes.put(index, new ArrayList<>());
            return "{\"acknowledged\":true}";
        }
        switch (parts[1]) {
            case "_refresh", "_forcemerge" -> {
                return "{}";
            }
            case "_count" -> {
                return "{\"count\":" + docs.get(index).size() + "}";
            }
            case "_settings" -> {
                if (method.equals("GET")) {
                    // what include_defaults=true answers: the index's own settings, and the plugin's defaults
                    ObjectNode r = JSON.createObjectNode();
                    ObjectNode forIndex = r.putObject(index);
                    forIndex.set("settings", created.get(index).path("settings"));
                    forIndex.putObject("defaults").putObject("index").putObject("fair_rescore")
                        .put("semantic_weight", "0.8").put("first_pass_saturation", "10.0");
                    return r.toString();
                }
                // nested ({"index": {"fair_rescore": {"mode": ...}}}) or flat ({"index.fair_rescore.mode": ...})
                JsonNode settings = JSON.readTree(body);
                JsonNode mode = settings.has("index.fair_rescore.mode") ? settings.path("index.fair_rescore.mode")
                    : settings.path("index").path("fair_rescore").path("mode");
                if (mode.isMissingNode() == false) {
                    modes.get(index).add(mode.asText());
                }
                settingsBodies.add(settings);
                return "{\"acknowledged\":true}";
            }
            case "_search" -> {
                return search(index, JSON.readTree(body));
            }
            default -> throw new IllegalArgumentException("unexpected " + method + " " + path);
        }
    }

    private String search(String index, JsonNode request) {
        String query = request.path("query").path("multi_match").path("query").asText();
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split(" "));
        List<Map.Entry<String, ObjectNode>> matching = new ArrayList<>();
        Map<String, Integer> score = new HashMap<>();
        for (Map.Entry<String, ObjectNode> e : docs.get(index).entrySet()) {
            String title = title(e.getValue()).toLowerCase(Locale.ROOT);
            int s = (int) words.stream().filter(title::contains).count();
            if (s > 0) {
                matching.add(e);
                score.put(e.getKey(), s);
            }
        }
        matching.sort(Comparator.comparing((Map.Entry<String, ObjectNode> e) -> -score.get(e.getKey()))
            .thenComparing(Map.Entry::getKey));
        String mode = modes.get(index).isEmpty() ? "none" : modes.get(index).get(modes.get(index).size() - 1);
        JsonNode rescore = request.path("rescore");
        JsonNode clauseQuota = rescore.path("fair_semantic").path("quota");
        JsonNode fair = created.get(index).path("settings").path("index").path("fair_rescore");
        int maxPerShop = fair.path("max_per_shop").asInt();
        int capWindow = fair.path("cap_window").asInt();
        if (clauseQuota.has("mode")) {
            // a clause override (the fake does not check the index's consent): a list with cap applies the cap only
            mode = clauseQuota.path("mode").toString().contains("\"cap\"") ? "cap" : clauseQuota.path("mode").asText();
            maxPerShop = clauseQuota.path("max_per_shop").asInt(maxPerShop);
            capWindow = clauseQuota.path("cap_window").asInt(capWindow);
        }
        if (rescore.isMissingNode() == false && mode.equals("cap")) {
            matching = cap(matching, rescore.path("window_size").asInt(), maxPerShop, capWindow);
        }
        double duplicates = rescore.path("fair_semantic").path("diversity").path("duplicate_threshold").asDouble(1);
        if (rescore.isMissingNode() == false && duplicates < 1) {
            matching = demoteNearDuplicates(matching, rescore.path("window_size").asInt(), duplicates);
        }
        List<String> sourceFields = new ArrayList<>();
        request.path("_source").forEach(f -> sourceFields.add(f.asText()));
        int size = request.path("size").asInt(10);
        ObjectNode response = JSON.createObjectNode().put("took", 3);
        ArrayNode hits = response.putObject("hits").putArray("hits");
        for (int i = 0; i < Math.min(size, matching.size()); i++) {
            ObjectNode hit = hits.addObject();
            hit.put("_id", matching.get(i).getKey());
            ObjectNode source = hit.putObject("_source");
            JsonNode shop = matching.get(i).getValue().path("shop");
            if (shop.isTextual()) {
                source.put("shop", shop.asText());
            }
            for (String field : sourceFields) {
                if (field.equals("shop") == false && matching.get(i).getValue().has(field)) {
                    source.set(field, matching.get(i).getValue().get(field));
                }
            }
            if (request.path("explain").asBoolean(false)) {
                ObjectNode explanation = hit.putObject("_explanation");
                explanation.put("description", "fair_semantic: 1 + blend; position " + (i + 1) + " (first pass 1)");
                ArrayNode details = explanation.putArray("details");
                details.addObject().put("description", "first-pass score");
                details.addObject().put("description", "cosine(query, document) with the vector stored in [embedding], "
                    + "model [all-minilm-l6-v2-q]");
                details.addObject().put("description", String.format(Locale.ROOT,
                    "quota: moved up by fair_topk p=0.3 alpha=0.1 on [shop_tier]=[tail], top %d needs %d protected, "
                        + "protected hit", i + 1, FAIR_MINIMUMS[i]));
            }
        }
        return response.toString();
    }

    /** The document's title: {@code title} (catalogs) or {@code name} (WANDS). */
    private static String title(JsonNode doc) {
        return doc.path(doc.has("title") ? "title" : "name").asText();
    }

    /** The index's {@code fair_rescore_vector} field, or null. */
    private String vectorField(String index) {
        JsonNode properties = created.get(index).path("mappings").path("properties");
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            if (p.getValue().path("type").asText().equals("fair_rescore_vector")) {
                return p.getKey();
            }
        }
        return null;
    }

    /**
     * The fake's document vector: word counts of the title's alphabetic words hashed into {@value #DIMS} dimensions
     * (digits left out, so "mat 1" and "mat 2" point the same way).
     */
    static float[] vector(String title) {
        float[] v = new float[DIMS];
        for (String word : title.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (word.isEmpty() == false) {
                v[Math.floorMod(word.hashCode(), DIMS)]++;
            }
        }
        return v;
    }

    static final int DIMS = 64;

    /**
     * Near duplicates within the window, in order: a hit whose cosine to a hit kept above it reaches the threshold
     * moves below the kept hits (the plugin's duplicate_threshold without rules or MMR).
     */
    private static List<Map.Entry<String, ObjectNode>> demoteNearDuplicates(List<Map.Entry<String, ObjectNode>> ranked,
                                                                             int window, double threshold) {
        List<Map.Entry<String, ObjectNode>> kept = new ArrayList<>();
        List<Map.Entry<String, ObjectNode>> demoted = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : ranked.subList(0, Math.min(window, ranked.size()))) {
            float[] v = vector(title(e.getValue()));
            boolean duplicate = kept.stream().anyMatch(k -> org.fairrescore.eval.metrics.ListDiversity.cosine(v,
                vector(title(k.getValue()))) >= threshold);
            (duplicate ? demoted : kept).add(e);
        }
        kept.addAll(demoted);
        kept.addAll(ranked.subList(Math.min(window, ranked.size()), ranked.size()));
        return kept;
    }

    /** Greedy: each position takes the best remaining hit whose shop is under the cap in the last capWindow. */
    private static List<Map.Entry<String, ObjectNode>> cap(List<Map.Entry<String, ObjectNode>> ranked, int window,
                                                           int maxPerShop, int capWindow) {
        List<Map.Entry<String, ObjectNode>> head = new ArrayList<>(ranked.subList(0, Math.min(window, ranked.size())));
        List<Map.Entry<String, ObjectNode>> out = new ArrayList<>();
        while (head.isEmpty() == false) {
            int pick = 0;
            for (int c = 0; c < head.size(); c++) {
                String shop = head.get(c).getValue().path("shop").asText();
                long recent = out.subList(Math.max(0, out.size() - capWindow + 1), out.size()).stream()
                    .filter(e -> e.getValue().path("shop").asText().equals(shop)).count();
                if (recent < maxPerShop) {
                    pick = c;
                    break;
                }
            }
            out.add(head.remove(pick));
        }
        out.addAll(ranked.subList(Math.min(window, ranked.size()), ranked.size()));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
