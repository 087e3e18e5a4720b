package org.fairrescore.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fairrescore.reliability.Http;

import java.util.ArrayList;
import java.util.List;

/** The demo index: its definition, bulk loading of a catalog and the two searches the demo compares. */
public final class DemoIndex {

    public static final String NAME = "demo-products";
    public static final int BATCH_SIZE = 500;
    public static final int WINDOW = 100;

    private final Http client;
    private final String name;

    public DemoIndex(Http client) {
        this(client, NAME);
    }

    public DemoIndex(Http client, String name) {
        this.client = client;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Settings and mappings: one shard, no replica, the fair-rescore settings of the demo; the mapping's
     * {@code _meta} records which catalog the index holds.
     */
    public static ObjectNode definition(Catalog catalog) {
        ObjectNode body = Http.JSON.createObjectNode();
        ObjectNode index = body.putObject("settings").putObject("index");
        index.put("number_of_shards", 1);
        index.put("number_of_replicas", 0);
        ObjectNode fair = index.putObject("fair_rescore");
        fair.putArray("text_fields").add("title").add("description");
        fair.put("shop_field", "shop");
        fair.put("max_per_shop", 2);
        fair.put("cap_window", 10);
        // document vectors are computed once, at ingest, by the plugin's processor; searches embed only the query
        fair.put("vector_field", VECTOR_FIELD);
        index.put("default_pipeline", PIPELINE);
        ObjectNode mappings = body.putObject("mappings");
        mappings.putObject("_meta").put("seed", catalog.seed()).put("products", catalog.products().size());
        ObjectNode properties = mappings.putObject("properties");
        properties.putObject("id").put("type", "keyword");
        properties.putObject("title").put("type", "text");
        properties.putObject("description").put("type", "text");
        properties.putObject("shop").put("type", "keyword");
        properties.putObject("category").put("type", "keyword");
        properties.putObject("price").put("type", "float");
        properties.putObject("intent").put("type", "keyword");
        properties.putObject("concept").put("type", "keyword");
        properties.putObject("phrasing").put("type", "keyword");
        properties.putObject(VECTOR_FIELD).put("type", "fair_rescore_vector").put("dims", 384);
        return body;
    }

    /** The stored-vector field of the demo index. */
    public static final String VECTOR_FIELD = "embedding";

    /** The ingest pipeline that embeds title and description into {@link #VECTOR_FIELD}. */
    public static final String PIPELINE = "fair-rescore-demo-embed";

    /** The ingest pipeline: the plugin's {@code fair_rescore_embed} processor over the embedded text fields. */
    public static ObjectNode pipeline() {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("description", "fair-rescore demo: embed title and description once, at ingest");
        ObjectNode processor = body.putArray("processors").addObject().putObject("fair_rescore_embed");
        processor.putObject("field_map").put("title", VECTOR_FIELD).put("description", VECTOR_FIELD);
        return body;
    }

    /** Deletes the index if it exists; returns whether it did. */
    public boolean deleteIfPresent() {
        Http.Reply r = client.expect("DELETE", "/" + name, null, 200, 404);
        return r.status() == 200;
    }

    public void create(Catalog catalog) {
        try {
            client.expect("PUT", "/_ingest/pipeline/" + PIPELINE, pipeline());
            client.expect("PUT", "/" + name, definition(catalog));
        } catch (Http.Failure e) {
            if (e.getMessage().contains("fair_rescore")) {
                throw new IllegalStateException("the node rejected the index.fair_rescore.* settings; is the "
                    + "fair-rescore plugin installed and the node restarted since? " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** One bulk request body (NDJSON) indexing these products under their ids. */
    public String bulkBody(List<Product> products) {
        StringBuilder ndjson = new StringBuilder(products.size() * 400);
        for (Product p : products) {
            ObjectNode action = Http.JSON.createObjectNode();
            action.putObject("index").put("_index", name).put("_id", p.id());
            ndjson.append(Http.toJson(action)).append('\n');
            ndjson.append(Http.toJson(p.toSource())).append('\n');
        }
        return ndjson.toString();
    }

    /** Indexes every product in batches of {@link #BATCH_SIZE}, then refreshes; returns the number of requests. */
    public int load(List<Product> products) {
        int requests = 0;
        for (int from = 0; from < products.size(); from += BATCH_SIZE) {
            List<Product> batch = products.subList(from, Math.min(products.size(), from + BATCH_SIZE));
            Http.Reply r = client.expectNdjson("/_bulk", bulkBody(batch));
            checkBulk(r.json(), batch.size());
            requests++;
        }
        client.expect("POST", "/" + name + "/_refresh", null);
        long count = client.expect("GET", "/" + name + "/_count", null).json().path("count").asLong(-1);
        if (count != products.size()) {
            throw new IllegalStateException("index " + name + " holds " + count + " documents after loading "
                + products.size());
        }
        return requests;
    }

    /** Throws when any item of a bulk response failed, naming the first few failures. */
    static void checkBulk(JsonNode response, int expectedItems) {
        JsonNode items = response.path("items");
        List<String> failures = new ArrayList<>();
        int failed = 0;
        for (JsonNode item : items) {
            JsonNode result = item.elements().hasNext() ? item.elements().next() : item;
            int status = result.path("status").asInt(0);
            if (result.has("error") || status < 200 || status > 299) {
                failed++;
                if (failures.size() < 3) {
                    JsonNode error = result.path("error");
                    failures.add("_id " + result.path("_id").asText("?") + " (HTTP " + status + "): "
                        + error.path("type").asText("") + ": " + error.path("reason").asText(error.asText("")));
                }
            }
        }
        if (failed > 0 || response.path("errors").asBoolean(false)) {
            throw new IllegalStateException("bulk indexing failed for " + failed + " of " + items.size() + " items: "
                + String.join("; ", failures));
        }
        if (items.size() != expectedItems) {
            throw new IllegalStateException("bulk response has " + items.size() + " items for " + expectedItems
                + " documents");
        }
    }

    /** The BM25 query of the demo. */
    public static ObjectNode bm25Request(String query, int size) {
        ObjectNode body = Http.JSON.createObjectNode();
        ObjectNode multiMatch = body.putObject("query").putObject("multi_match");
        multiMatch.put("query", query);
        multiMatch.putArray("fields").add("title^2").add("description");
        body.put("size", size);
        return body;
    }

    /** The same query, rescored by {@code fair_semantic} over the top {@link #WINDOW} hits. */
    public static ObjectNode fairRequest(String query) {
        ObjectNode body = bm25Request(query, 10);
        ObjectNode rescore = body.putObject("rescore");
        rescore.put("window_size", WINDOW);
        rescore.putObject("fair_semantic").put("query_text", query);
        return body;
    }

    /** One hit as the demo shows it. */
    public record Hit(String id, String title, String shop, double score) {
    }

    /** A search result: hits in order, the node's {@code took} and the client-side round trip. */
    public record Result(List<Hit> hits, long tookMillis, long roundTripMillis) {
    }

    public Result search(ObjectNode request) {
        long start = System.nanoTime();
        Http.Reply r = client.expect("POST", "/" + name + "/_search", request);
        long roundTrip = (System.nanoTime() - start) / 1_000_000;
        return new Result(hits(r.json()), r.json().path("took").asLong(-1), roundTrip);
    }

    static List<Hit> hits(JsonNode response) {
        JsonNode hits = response.path("hits").path("hits");
        if (!hits.isArray()) {
            throw new IllegalStateException("search response has no hits array: " + response);
        }
        List<Hit> out = new ArrayList<>();
        for (JsonNode h : (ArrayNode) hits) {
            JsonNode source = h.path("_source");
            out.add(new Hit(h.path("_id").asText(), source.path("title").asText(""), source.path("shop").asText(""),
                h.path("_score").asDouble(Double.NaN)));
        }
        return out;
    }
}
