package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The indices every section uses. {@link #CATALOG}: titles from six shops, vectors stored by the
 * {@code fair_rescore_embed} pipeline, a shop cap. {@link #ON_THE_FLY}: the same documents without vectors, so every
 * window hit is embedded at search time (what the isolation checks load). Plus the snapshots (count, checksum,
 * settings) the bad-input matrix compares before and after.
 */
public final class Fixture {

    public static final String CATALOG = "rel-catalog";
    public static final String ON_THE_FLY = "rel-on-the-fly";
    public static final String PIPELINE = "rel-embed";
    public static final String[] SHOPS = {"megastore", "greenfoot", "pace-lab", "sockery", "cobbler-anna", "trailhead"};
    private static final String[] ADJECTIVES = {"lightweight", "waterproof", "cushioned", "recycled", "leather", "kids", "trail",
        "barefoot", "winter", "racing"};
    private static final String[] PRODUCTS = {"running shoes", "hiking boots", "socks", "sandals", "sneakers", "rain jacket",
        "backpack", "water bottle"};

    private final Http http;

    public Fixture(Http http) {
        this.http = http;
    }

    /** Document {@code i} of the catalogue: deterministic title and shop. */
    public static Map<String, Object> document(int i) {
        String title = ADJECTIVES[i % ADJECTIVES.length] + " " + PRODUCTS[(i / ADJECTIVES.length + i) % PRODUCTS.length]
            + (i % 3 == 0 ? " for women" : i % 3 == 1 ? " for men" : "");
        return Map.of("title", title, "shop", SHOPS[i % SHOPS.length], "price", 10 + (i * 7) % 90);
    }

    public static String catalogSettings(String vectorField) {
        return String.format(Locale.ROOT, """
            {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s",
                "fair_rescore": {"text_fields": ["title"], "semantic_weight": 0.5, "shop_field": "shop",
                                 "max_per_shop": 2, "cap_window": 5, "vector_field": "%s"}}},
             "mappings": {"properties": {"title": {"type": "text"}, "shop": {"type": "keyword"}, "price": {"type": "integer"},
                                         "vec": {"type": "fair_rescore_vector", "dims": %d}}}}""", vectorField, 384);
    }

    /** Creates both indices and the pipeline afresh and indexes {@code docs} documents into each. */
    public void create(int docs) throws IOException, InterruptedException {
        for (String index : List.of(CATALOG, ON_THE_FLY)) {
            http.call("DELETE", "/" + index, null);
        }
        expectOk(http.call("PUT", "/_ingest/pipeline/" + PIPELINE,
            "{\"processors\": [{\"fair_rescore_embed\": {\"field_map\": {\"title\": \"vec\"}}}]}"), "pipeline");
        expectOk(http.call("PUT", "/" + CATALOG, catalogSettings("vec")), "create " + CATALOG);
        expectOk(http.call("PUT", "/" + ON_THE_FLY, catalogSettings("")), "create " + ON_THE_FLY);
        bulk(CATALOG, 0, docs, true);
        bulk(ON_THE_FLY, 0, docs, false);
    }

    /** Indexes documents [from, to) with ids {@code d<i>}; through the embedding pipeline when asked. */
    public void bulk(String index, int from, int to, boolean embed) throws IOException, InterruptedException {
        StringBuilder ndjson = new StringBuilder();
        for (int i = from; i < to; i++) {
            ndjson.append("{\"index\": {\"_index\": \"").append(index).append("\", \"_id\": \"d").append(i).append("\"}}\n");
            ndjson.append(Http.JSON.writeValueAsString(document(i))).append('\n');
        }
        Http.Reply reply = http.call("POST", "/_bulk?refresh=true" + (embed ? "&pipeline=" + PIPELINE : ""),
            ndjson.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        expectOk(reply, "bulk into " + index);
        if (reply.json().path("errors").asBoolean(true)) {
            throw new IOException("bulk into " + index + " had item errors: " + reply.brief());
        }
    }

    public long count(String index) throws IOException, InterruptedException {
        http.call("POST", "/" + index + "/_refresh", null);
        Http.Reply reply = http.get("/" + index + "/_count");
        expectOk(reply, "count " + index);
        return reply.json().path("count").asLong();
    }

    /** SHA-256 over every document's id, version and source, in id order. */
    public String checksum(String index) throws IOException, InterruptedException {
        http.call("POST", "/" + index + "/_refresh", null);
        Http.Reply reply = http.call("POST", "/" + index + "/_search",
            "{\"size\": 10000, \"version\": true, \"sort\": [{\"_id\": \"asc\"}], \"query\": {\"match_all\": {}}}");
        expectOk(reply, "read " + index);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (JsonNode hit : reply.json().path("hits").path("hits")) {
                sha.update((hit.path("_id").asText() + "|" + hit.path("_version").asText() + "|" + hit.path("_source").toString() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The index's settings, flat, without the creation-time ones that never change anyway. */
    public JsonNode settings(String index) throws IOException, InterruptedException {
        Http.Reply reply = http.get("/" + index + "/_settings?flat_settings=true");
        expectOk(reply, "settings of " + index);
        return reply.json().path(index).path("settings");
    }

    public JsonNode clusterSettings() throws IOException, InterruptedException {
        Http.Reply reply = http.get("/_cluster/settings?flat_settings=true");
        expectOk(reply, "cluster settings");
        return reply.json();
    }

    /**
     * The search body of a {@code fair_semantic} rescore: every document matches (match_all), a match on the title
     * orders them, so the window is full whatever the query text (real shop queries rarely share words with the
     * small catalogue).
     */
    public static String rescore(String queryText, int window, double weight, boolean explain) {
        return String.format(Locale.ROOT, """
            {"size": %d, "explain": %b,
             "query": {"bool": {"must": [{"match_all": {}}], "should": [{"match": {"title": %s}}]}},
             "rescore": {"window_size": %d, "fair_semantic": {"query_text": %s, "semantic_weight": %s}}}""",
            Math.min(window, 20), explain, Http.quote(queryText), window, Http.quote(queryText), Double.toString(weight));
    }

    /** Nodes stats of the plugin on the local node. */
    public JsonNode pluginStats() throws IOException, InterruptedException {
        Http.Reply reply = http.get("/_plugins/_fair_rescore/_local/stats");
        expectOk(reply, "plugin stats");
        return reply.json().path("nodes").elements().next();
    }

    public static List<String> ids(Http.Reply search) {
        List<String> ids = new ArrayList<>();
        search.json().path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    public boolean green() throws IOException, InterruptedException {
        Http.Reply health = http.get("/_cluster/health?wait_for_status=green&timeout=30s");
        return health.status() == 200 && "green".equals(health.json().path("status").asText());
    }

    static void expectOk(Http.Reply reply, String what) throws IOException {
        if (reply.status() / 100 != 2) {
            throw new IOException(what + ": " + reply.brief());
        }
    }
}
