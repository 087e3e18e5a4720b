package org.fairrescore.chaos;

import org.fairrescore.reliability.Http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The indices and pipelines of the chaos run. Both indices: 3 shards and 1 replica, titles of twelve shops of very
 * different sizes, vectors stored by the {@code fair_rescore_embed} processor into a field bound to MiniLM, and a
 * per-shop cap of {@link #MAX_PER_SHOP} in any {@link #CAP_WINDOW} consecutive positions.
 * <ul>
 *   <li>{@link #LIVE}: what the load writes to and searches (bulk ingest, settings updates, searches with and without
 *       the search pipeline).</li>
 *   <li>{@link #FIXED}: written once, before the load, never after: the fixed query set runs on it before and after
 *       the node loss and the rolling restart, and must give the same top 10. Its documents carry a unique
 *       {@code tiebreak} that the first pass adds to the score, so no two hits tie and the order cannot depend on
 *       which copy of a shard (primary or replica, with its own Lucene doc ids) answered.</li>
 * </ul>
 * The quota settings never change during the run (the settings updates touch {@code semantic_weight} only), so every
 * pipeline response can be checked against them.
 */
final class ChaosIndex {

    static final String LIVE = "chaos-live";
    static final String FIXED = "chaos-fixed";
    static final String EMBED_PIPELINE = "chaos-embed";
    static final String SEARCH_PIPELINE = "chaos-fair";
    static final String MODEL = "all-minilm-l6-v2-q";
    static final int MAX_PER_SHOP = 2;
    static final int CAP_WINDOW = 5;
    /** Hits of a pipeline search: the whole merged window (the pipeline oversamples by 1, so the page is the window). */
    static final int PIPELINE_SIZE = 30;
    static final int WINDOW = 50;

    /** Shops and their weights: one big shop, a few middle ones, a long tail. */
    static final Map<String, Integer> SHOPS = new LinkedHashMap<>();

    static {
        SHOPS.put("megastore", 7);
        SHOPS.put("outfitterz", 3);
        SHOPS.put("shopsphere", 3);
        SHOPS.put("buyhive", 2);
        for (String tail : List.of("greenfoot", "pace-lab", "sockery", "cobbler-anna", "trailhead", "peak-gear", "urban-soles", "kidz-corner")) {
            SHOPS.put(tail, 1);
        }
    }

    private static final String[] ADJECTIVES = {"lightweight", "waterproof", "cushioned", "recycled", "leather", "trail", "barefoot", "winter",
        "racing", "breathable", "insulated", "classic", "wide fit", "vegan"};
    private static final String[] PRODUCTS = {"running shoes", "hiking boots", "socks", "sandals", "sneakers", "rain jacket", "backpack",
        "water bottle", "yoga mat", "fleece hoodie", "trail shorts", "sun hat", "cycling gloves", "tent"};
    private static final String[] COLOURS = {"black", "blue", "grey", "red", "green", "white", "orange"};
    private static final String[] FOR = {" for women", " for men", " for kids", "", ""};

    private final Http http;

    ChaosIndex(Http http) {
        this.http = http;
    }

    /** Document {@code i}: a deterministic title, shop and tiebreak. */
    static Map<String, Object> document(int i) {
        String title = ADJECTIVES[i % ADJECTIVES.length] + " " + PRODUCTS[(i / ADJECTIVES.length + 3 * i) % PRODUCTS.length] + ", "
            + COLOURS[(i / 5) % COLOURS.length] + FOR[(i / 3) % FOR.length];
        int total = SHOPS.values().stream().mapToInt(Integer::intValue).sum();
        int pick = Math.floorMod(i * 7919 + 13, total);
        String shop = null;
        for (Map.Entry<String, Integer> s : SHOPS.entrySet()) {
            pick -= s.getValue();
            if (pick < 0) {
                shop = s.getKey();
                break;
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", title);
        doc.put("shop", shop);
        doc.put("tiebreak", (i + 1) * 1e-4);
        return doc;
    }

    static String settings() {
        return String.format(Locale.ROOT, """
            {"settings": {"index": {"number_of_shards": 3, "number_of_replicas": 1, "refresh_interval": "1s",
                "fair_rescore": {"text_fields": ["title"], "semantic_weight": 0.6, "shop_field": "shop",
                                 "max_per_shop": %d, "cap_window": %d, "vector_field": "vec"}}},
             "mappings": {"properties": {"title": {"type": "text"}, "shop": {"type": "keyword"}, "tiebreak": {"type": "float"},
                                         "vec": {"type": "fair_rescore_vector", "model": "%s"}}}}""", MAX_PER_SHOP, CAP_WINDOW, MODEL);
    }

    /** Deletes both indices, (re)creates the pipelines and indices, and indexes the seed documents into each. */
    void create(int liveDocs, int fixedDocs) throws IOException, InterruptedException {
        for (String index : List.of(LIVE, FIXED)) {
            http.call("DELETE", "/" + index, (String) null);
        }
        expectOk(http.call("PUT", "/_ingest/pipeline/" + EMBED_PIPELINE,
            "{\"processors\": [{\"fair_rescore_embed\": {\"field_map\": {\"title\": \"vec\"}}}]}"), "embed pipeline");
        // oversample 1: the page of PIPELINE_SIZE hits is the whole merged window, so the quota check sees what the
        // processor reordered (with oversample 3 and size 10 the shards return the same 30 hits; the page is its top 10)
        expectOk(http.call("PUT", "/_search/pipeline/" + SEARCH_PIPELINE,
            "{\"request_processors\": [{\"fair_rescore\": {\"oversample\": 1}}], \"response_processors\": [{\"fair_rescore\": {}}]}"),
            "search pipeline");
        for (String index : List.of(LIVE, FIXED)) {
            expectOk(http.call("PUT", "/" + index, settings()), "create " + index);
        }
        expectOk(http.call("GET", "/_cluster/health/" + LIVE + "," + FIXED + "?wait_for_status=green&timeout=120s", (String) null), "green");
        for (int from = 0; from < liveDocs; from += 200) {
            bulk(LIVE, "seed-", from, Math.min(liveDocs, from + 200));
        }
        for (int from = 0; from < fixedDocs; from += 200) {
            bulk(FIXED, "fixed-", from, Math.min(fixedDocs, from + 200));
        }
        expectOk(http.call("POST", "/" + LIVE + "," + FIXED + "/_refresh", (String) null), "refresh");
    }

    private void bulk(String index, String prefix, int from, int to) throws IOException, InterruptedException {
        StringBuilder ndjson = new StringBuilder();
        for (int i = from; i < to; i++) {
            ndjson.append("{\"index\": {\"_index\": \"").append(index).append("\", \"_id\": \"").append(prefix).append(i).append("\"}}\n");
            ndjson.append(Http.JSON.writeValueAsString(document(i))).append('\n');
        }
        Http.Reply reply = http.call("POST", "/_bulk?pipeline=" + EMBED_PIPELINE, ndjson.toString().getBytes(StandardCharsets.UTF_8),
            "application/x-ndjson");
        expectOk(reply, "bulk into " + index);
        if (reply.json().path("errors").asBoolean(true)) {
            throw new IOException("bulk into " + index + " had item errors: " + reply.brief());
        }
    }

    /** A rescored search body: every document matches, a match on the title orders them (the window is always full). */
    static String search(String queryText, int size, boolean tiebreak) {
        String match = String.format(Locale.ROOT, "{\"bool\": {\"must\": [{\"match_all\": {}}], \"should\": [{\"match\": {\"title\": %s}}]}}",
            Http.quote(queryText));
        String query = tiebreak
            ? "{\"function_score\": {\"query\": " + match + ", \"functions\": [{\"field_value_factor\": {\"field\": \"tiebreak\"}}], \"boost_mode\": \"sum\"}}"
            : match;
        return String.format(Locale.ROOT, """
            {"size": %d, "_source": ["shop"], "query": %s,
             "rescore": {"window_size": %d, "fair_semantic": {"query_text": %s}}}""", size, query, WINDOW, Http.quote(queryText));
    }

    static void expectOk(Http.Reply reply, String what) throws IOException {
        if (reply.status() / 100 != 2) {
            throw new IOException(what + ": " + reply.brief());
        }
    }
}
