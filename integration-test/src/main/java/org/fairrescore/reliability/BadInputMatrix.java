package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The bad-input section ({@code --sections matrix}): malformed clauses, settings, vectors, mappings, ingest documents
 * and plugin endpoint calls against the real node. Each case is one line: name, method, path, body, expected status, a
 * text the error's reason must hold (the field or setting it names). No case may get a 5xx. Afterwards the cluster is
 * green and the catalogue's documents (count and checksum), its settings and the cluster settings are what they were.
 *
 * <p>Every expected status is 400 except: an unknown plugin path (400 is what OpenSearch answers for a URI no
 * handler takes), a wrong method on a plugin path (405 Method Not Allowed, core's REST controller) and a stats
 * call for a node id that matches no node (200 with zero nodes: the convention of every nodes action, like
 * {@code _nodes/nosuch/stats}). Where the reason cannot name a field because core rejects the body before any field
 * is read (invalid UTF-8: the JSON parser fails on the bytes), it must name the problem instead.
 */
public final class BadInputMatrix {

    /** One row: {@code body} null for none; {@code bug} non-null marks a reported plugin bug (see {@link Section#knownBug}). */
    public record Case(String name, String method, String path, byte[] body, int status, String reasonText, String bug) {

        static Case of(String name, String method, String path, String body, int status, String reasonText) {
            return new Case(name, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, reasonText, null);
        }

        Case knownBug(String bug) {
            return new Case(name, method, path, body, status, reasonText, bug);
        }
    }

    private static final String C = Fixture.CATALOG;
    private static final String SEARCH = "/" + C + "/_search";
    private static final String SETTINGS = "/" + C + "/_settings";
    private static final String CLUSTER = "/_cluster/settings";

    /** A search with a {@code fair_semantic} clause whose inside is {@code inner}. */
    static String clause(String inner) {
        return "{\"query\": {\"match\": {\"title\": \"shoes\"}}, \"rescore\": {\"window_size\": 20, \"fair_semantic\": " + inner + "}}";
    }

    static String window(String size) {
        return "{\"query\": {\"match\": {\"title\": \"shoes\"}}, \"rescore\": {\"window_size\": " + size
            + ", \"fair_semantic\": {\"query_text\": \"shoes\"}}}";
    }

    static String vector(String components) {
        return "{\"title\": \"bad vector\", \"shop\": \"megastore\", \"vec\": " + components + "}";
    }

    static String numbers(String value, int n) {
        return "[" + String.join(", ", Collections.nCopies(n, value)) + "]";
    }

    static String index(String key, String value) {
        return "{\"index.fair_rescore." + key + "\": " + value + "}";
    }

    static String cluster(String key, String value) {
        return "{\"persistent\": {\"" + key + "\": " + value + "}}";
    }

    static String mapping(String vecField) {
        return "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}, \"vec\": " + vecField + "}}}";
    }

    static String embedPipeline(String options) {
        return "{\"processors\": [{\"fair_rescore_embed\": " + options + "}]}";
    }

    static String searchPipeline(String options) {
        return "{\"request_processors\": [{\"fair_rescore\": " + options + "}]}";
    }

    /** Bytes of a JSON body with a lone 0xFF byte inside a string: not UTF-8. */
    static byte[] notUtf8(String before, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8), b = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + 2 + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        out[a.length] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        out[a.length + 1] = (byte) 0x28;
        System.arraycopy(b, 0, out, a.length + 2, b.length);
        return out;
    }

    public static List<Case> cases() {
        String huge = "a".repeat(1 << 20);
        List<Case> cases = new ArrayList<>(List.of(
            // --- the fair_semantic clause ---------------------------------------------------------------------
            Case.of("query_text missing", "POST", SEARCH, clause("{\"semantic_weight\": 0.5}"), 400, "query_text"),
            Case.of("query_text empty", "POST", SEARCH, clause("{\"query_text\": \"\"}"), 400, "query_text"),
            Case.of("query_text blank", "POST", SEARCH, clause("{\"query_text\": \"   \"}"), 400, "query_text"),
            Case.of("query_text a number", "POST", SEARCH, clause("{\"query_text\": 42}"), 400, "query_text"),
            Case.of("query_text null", "POST", SEARCH, clause("{\"query_text\": null}"), 400, "query_text"),
            Case.of("query_text an array", "POST", SEARCH, clause("{\"query_text\": [\"shoes\"]}"), 400, "query_text"),
            Case.of("query_text 4097 chars", "POST", SEARCH, clause("{\"query_text\": \"" + "b".repeat(4097) + "\"}"), 400, "query_text"),
            Case.of("query_text 1 MiB", "POST", SEARCH, clause("{\"query_text\": \"" + huge + "\"}"), 400, "query_text"),
            Case.of("unknown clause field", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"bogus\": 1}"), 400, "bogus"),
            Case.of("clause is a string", "POST", SEARCH, clause("\"shoes\""), 400, "fair_semantic"),
            Case.of("semantic_weight a word", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"semantic_weight\": \"abc\"}"), 400, "semantic_weight"),
            Case.of("semantic_weight 2", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"semantic_weight\": 2}"), 400, "semantic_weight"),
            Case.of("semantic_weight -0.1", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"semantic_weight\": -0.1}"), 400, "semantic_weight"),
            Case.of("semantic_weight NaN", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"semantic_weight\": \"NaN\"}"), 400, "semantic_weight"),
            Case.of("semantic_weight 1e400", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"semantic_weight\": 1e400}"), 400, "semantic_weight"),
            Case.of("fields empty", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"fields\": []}"), 400, "fields"),
            Case.of("fields empty name", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"fields\": [\"\"]}"), 400, "fields"),
            Case.of("fields unmapped", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"fields\": [\"nope\"]}"), 400, "nope"),
            Case.of("fields an integer field", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"fields\": [\"price\"]}"), 400, "price"),
            Case.of("fields an object", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"fields\": {\"a\": 1}}"), 400, "fields"),
            Case.of("quota a string", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"quota\": \"cap\"}"), 400, "quota"),
            Case.of("quota without consent", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"quota\": {\"max_per_shop\": 1}}"), 400,
                "allow_request_override"),
            Case.of("quota unknown key", "POST", SEARCH, clause("{\"query_text\": \"shoes\", \"quota\": {\"bogus\": 1}}"), 400, "bogus"),
            Case.of("window over max_rescore_window", "POST", SEARCH, window("10001"), 400, "index.max_rescore_window"),
            Case.of("window negative", "POST", SEARCH, window("-1"), 400, "window_size"),
            Case.of("window a word", "POST", SEARCH, window("\"ten\""), 400, "ten"), // core parses window_size; its reason quotes the value
            Case.of("sort with the rescore", "POST", SEARCH,
                "{\"sort\": [{\"price\": \"asc\"}], \"rescore\": {\"window_size\": 10, \"fair_semantic\": {\"query_text\": \"shoes\"}}}", 400, "sort"),
            Case.of("scroll with the rescore", "POST", SEARCH + "?scroll=1m", clause("{\"query_text\": \"shoes\"}"), 400, "scroll"),
            new Case("query_text not UTF-8", "POST", SEARCH, notUtf8("{\"rescore\": {\"window_size\": 20, \"fair_semantic\": {\"query_text\": \"caf",
                "\"}}}"), 400, "UTF-8", null),
            // --- index settings read by the rescore (accepted on update, refused when a search uses them) ------
            Case.of("shop_field a text field", "POST", "/rel-text-shop/_search", clause("{\"query_text\": \"shoes\"}"), 400, "index.fair_rescore.shop_field"),
            Case.of("vector_field a text field", "POST", "/rel-text-vector/_search", clause("{\"query_text\": \"shoes\"}"), 400, "index.fair_rescore.vector_field"),
            Case.of("fair_topk without protected field", "POST", "/rel-topk/_search", clause("{\"query_text\": \"shoes\"}"), 400, "protected_field"),
            // --- index settings updates ----------------------------------------------------------------------
            Case.of("setting semantic_weight 1.5", "PUT", SETTINGS, index("semantic_weight", "1.5"), 400, "index.fair_rescore.semantic_weight"),
            Case.of("setting semantic_weight a word", "PUT", SETTINGS, index("semantic_weight", "\"abc\""), 400, "index.fair_rescore.semantic_weight"),
            Case.of("first_pass_saturation 0", "PUT", SETTINGS, index("first_pass_saturation", "0"), 400, "index.fair_rescore.first_pass_saturation"),
            Case.of("max_per_shop 10001", "PUT", SETTINGS, index("max_per_shop", "10001"), 400, "index.fair_rescore.max_per_shop"),
            Case.of("max_per_shop -1", "PUT", SETTINGS, index("max_per_shop", "-1"), 400, "index.fair_rescore.max_per_shop"),
            Case.of("cap_window 0", "PUT", SETTINGS, index("cap_window", "0"), 400, "index.fair_rescore.cap_window"),
            Case.of("mode unknown", "PUT", SETTINGS, index("mode", "\"zigzag\""), 400, "index.fair_rescore.mode"),
            Case.of("max_share 0", "PUT", SETTINGS, index("max_share", "0"), 400, "index.fair_rescore.max_share"),
            Case.of("share_min_prefix 0", "PUT", SETTINGS, index("share_min_prefix", "0"), 400, "index.fair_rescore.share_min_prefix"),
            Case.of("protected_share 1", "PUT", SETTINGS, index("protected_share", "1"), 400, "index.fair_rescore.protected_share"),
            Case.of("alpha 0", "PUT", SETTINGS, index("alpha", "0"), 400, "index.fair_rescore.alpha"),
            Case.of("allow_request_override maybe", "PUT", SETTINGS, index("allow_request_override", "\"maybe\""), 400,
                "index.fair_rescore.allow_request_override"),
            Case.of("unknown index setting", "PUT", SETTINGS, index("bogus", "1"), 400, "index.fair_rescore.bogus"),
            Case.of("text_fields empty", "PUT", SETTINGS, index("text_fields", "[]"), 400, "index.fair_rescore.text_fields"),
            Case.of("create with semantic_weight 2", "PUT", "/rel-bad-create",
                "{\"settings\": {\"index.fair_rescore.semantic_weight\": 2}}", 400, "index.fair_rescore.semantic_weight"),
            // --- node settings through _cluster/settings ---------------------------------------------------------
            Case.of("max_on_the_fly_docs -1", "PUT", CLUSTER, cluster("fair_rescore.max_on_the_fly_docs", "-1"), 400, "fair_rescore.max_on_the_fly_docs"),
            Case.of("max_on_the_fly_docs a word", "PUT", CLUSTER, cluster("fair_rescore.max_on_the_fly_docs", "\"abc\""), 400, "fair_rescore.max_on_the_fly_docs"),
            Case.of("query cache size -1", "PUT", CLUSTER, cluster("fair_rescore.cache.query.size", "\"-1\""), 400, "fair_rescore.cache.query.size"),
            Case.of("document cache size -1", "PUT", CLUSTER, cluster("fair_rescore.cache.documents.size", "\"-1\""), 400, "fair_rescore.cache.documents.size"),
            Case.of("document cache size 200%", "PUT", CLUSTER, cluster("fair_rescore.cache.documents.size", "\"200%\""), 400, "fair_rescore.cache.documents.size"),
            Case.of("document cache size a word", "PUT", CLUSTER, cluster("fair_rescore.cache.documents.size", "\"lots\""), 400, "fair_rescore.cache.documents.size"),
            Case.of("inference timeout 0", "PUT", CLUSTER, cluster("fair_rescore.inference.timeout", "\"0s\""), 400, "fair_rescore.inference.timeout"),
            Case.of("inference timeout a word", "PUT", CLUSTER, cluster("fair_rescore.inference.timeout", "\"soon\""), 400, "fair_rescore.inference.timeout"),
            Case.of("breaker limit a word", "PUT", CLUSTER, cluster("fair_rescore.breaker.limit", "\"lots\""), 400, "fair_rescore.breaker.limit"),
            Case.of("model is static", "PUT", CLUSTER, cluster("fair_rescore.model", "\"bge-small-zh-v15-q\""), 400, "fair_rescore.model"),
            Case.of("inference threads is static", "PUT", CLUSTER, cluster("fair_rescore.inference.threads", "2"), 400, "fair_rescore.inference.threads"),
            Case.of("models_path is static", "PUT", CLUSTER, cluster("fair_rescore.models_path", "\"/tmp\""), 400, "fair_rescore.models_path"),
            // --- stored vectors ------------------------------------------------------------------------------------
            Case.of("vector too short", "PUT", "/" + C + "/_doc/bad-v1", vector("[1, 2, 3]"), 400, "vec"),
            Case.of("vector a string", "PUT", "/" + C + "/_doc/bad-v2", vector("\"abc\""), 400, "vec"),
            Case.of("vector a boolean", "PUT", "/" + C + "/_doc/bad-v3", vector("true"), 400, "vec"),
            Case.of("vector empty", "PUT", "/" + C + "/_doc/bad-v4", vector("[]"), 400, "vec"),
            Case.of("vector component a string", "PUT", "/" + C + "/_doc/bad-v5", vector(numbers("\"a\"", 384)), 400, "vec"),
            Case.of("vector component null", "PUT", "/" + C + "/_doc/bad-v6", vector(numbers("null", 384)), 400, "vec"),
            Case.of("vector component overflows", "PUT", "/" + C + "/_doc/bad-v7", vector(numbers("1e39", 384)), 400, "vec"),
            Case.of("vector nested arrays", "PUT", "/" + C + "/_doc/bad-v8", vector("[" + numbers("0.1", 384) + "]"), 400, "vec"),
            Case.of("vector of another model", "PUT", "/" + C + "/_doc/bad-v9",
                vector("{\"model\": \"other-model\", \"vector\": " + numbers("0.1", 384) + "}"), 400, "vec"),
            Case.of("vector object unknown key", "PUT", "/" + C + "/_doc/bad-v10",
                vector("{\"bogus\": 1, \"vector\": " + numbers("0.1", 384) + "}"), 400, "vec"),
            Case.of("vector object without vector", "PUT", "/" + C + "/_doc/bad-v11", vector("{}"), 400, "vec"),
            // --- vector mappings ---------------------------------------------------------------------------------
            Case.of("vector mapping unknown model", "PUT", "/rel-bad-mapping", mapping("{\"type\": \"fair_rescore_vector\", \"model\": \"e5-large\"}"), 400, "e5-large"),
            Case.of("vector mapping dims not the model's", "PUT", "/rel-bad-mapping", mapping("{\"type\": \"fair_rescore_vector\", \"dims\": 512}"), 400, "dims"),
            Case.of("vector mapping dims a word", "PUT", "/rel-bad-mapping", mapping("{\"type\": \"fair_rescore_vector\", \"dims\": \"many\"}"), 400, "dims"),
            Case.of("vector mapping unknown encoding", "PUT", "/rel-bad-mapping",
                mapping("{\"type\": \"fair_rescore_vector\", \"dims\": 384, \"encoding\": \"int4\"}"), 400, "encoding"),
            Case.of("vector mapping unknown option", "PUT", "/rel-bad-mapping",
                mapping("{\"type\": \"fair_rescore_vector\", \"dims\": 384, \"bogus\": 1}"), 400, "bogus"),
            // --- the ingest processor and documents through it ------------------------------------------------------
            Case.of("embed without field_map", "PUT", "/_ingest/pipeline/rel-bad", embedPipeline("{}"), 400, "field_map"),
            Case.of("embed field_map a string", "PUT", "/_ingest/pipeline/rel-bad", embedPipeline("{\"field_map\": \"title\"}"), 400, "field_map"),
            Case.of("embed field_map empty", "PUT", "/_ingest/pipeline/rel-bad", embedPipeline("{\"field_map\": {}}"), 400, "field_map"),
            Case.of("embed field_map empty target", "PUT", "/_ingest/pipeline/rel-bad", embedPipeline("{\"field_map\": {\"title\": \"\"}}"), 400, "field_map"),
            Case.of("embed batch_size 0", "PUT", "/_ingest/pipeline/rel-bad", embedPipeline("{\"field_map\": {\"title\": \"vec\"}, \"batch_size\": 0}"), 400, "batch_size"),
            Case.of("embed inference_batch -3", "PUT", "/_ingest/pipeline/rel-bad",
                embedPipeline("{\"field_map\": {\"title\": \"vec\"}, \"inference_batch\": -3}"), 400, "inference_batch"),
            Case.of("embed skip_unchanged a word", "PUT", "/_ingest/pipeline/rel-bad",
                embedPipeline("{\"field_map\": {\"title\": \"vec\"}, \"skip_unchanged\": \"maybe\"}"), 400, "skip_unchanged"),
            Case.of("embed unknown option", "PUT", "/_ingest/pipeline/rel-bad", embedPipeline("{\"field_map\": {\"title\": \"vec\"}, \"bogus\": 1}"), 400, "bogus"),
            Case.of("ingest title an object", "PUT", "/" + C + "/_doc/bad-i1?pipeline=" + Fixture.PIPELINE,
                "{\"title\": {\"a\": \"b\"}, \"shop\": \"megastore\"}", 400, "title"),
            new Case("ingest document not UTF-8", "PUT", "/" + C + "/_doc/bad-i2?pipeline=" + Fixture.PIPELINE,
                notUtf8("{\"title\": \"caf", " shoes\", \"shop\": \"megastore\"}"), 400, "UTF-8", null),
            Case.of("ingest vector of another model", "PUT", "/" + C + "/_doc/bad-i3",
                "{\"title\": \"x\", \"vec\": {\"model\": \"m2\", \"vector\": " + numbers("0.1", 384) + "}}", 400, "vec"),
            // --- the plugin's endpoints ----------------------------------------------------------------------------
            Case.of("embed text a number", "POST", "/_plugins/_fair_rescore/_embed", "{\"text\": 5}", 400, "text"),
            Case.of("embed text 5000 chars", "POST", "/_plugins/_fair_rescore/_embed", "{\"text\": \"" + "c".repeat(5000) + "\"}", 400, "text"),
            Case.of("embed 101 texts", "POST", "/_plugins/_fair_rescore/_embed",
                "{\"texts\": " + numbers("\"t\"", 101) + "}", 400, "texts"),
            Case.of("embed texts empty", "POST", "/_plugins/_fair_rescore/_embed", "{\"texts\": []}", 400, "texts"),
            Case.of("embed include_vector a word", "POST", "/_plugins/_fair_rescore/_embed?include_vector=maybe", "{\"text\": \"a\"}", 400, "include_vector"),
            Case.of("embed unknown field", "POST", "/_plugins/_fair_rescore/_embed", "{\"query\": \"a\"}", 400, "query"),
            Case.of("stats timeout a word", "GET", "/_plugins/_fair_rescore/stats?timeout=abc", null, 400, "timeout"),
            Case.of("stats of no such node (200, 0 nodes)", "GET", "/_plugins/_fair_rescore/nosuchnode/stats", null, 200, ""),
            Case.of("unknown plugin path (core: 400)", "GET", "/_plugins/_fair_rescore/bogus", null, 400, ""),
            Case.of("stats with DELETE (core: 405)", "DELETE", "/_plugins/_fair_rescore/stats", null, 405, ""),
            Case.of("search pipeline oversample 21", "PUT", "/_search/pipeline/rel-bad", searchPipeline("{\"oversample\": 21}"), 400, "oversample"),
            Case.of("search pipeline oversample a word", "PUT", "/_search/pipeline/rel-bad", searchPipeline("{\"oversample\": \"x\"}"), 400, "oversample"),
            Case.of("search pipeline unknown option", "PUT", "/_search/pipeline/rel-bad", searchPipeline("{\"bogus\": 1}"), 400, "bogus")));
        return cases;
    }

    /** Indices whose quota or vector settings name the wrong field: accepted at creation, refused by a search. */
    private static final String[][] MISCONFIGURED = {
        {"rel-text-shop", "\"shop_field\": \"title\"", "{\"title\": {\"type\": \"text\"}}"},
        {"rel-text-vector", "\"vector_field\": \"title\"", "{\"title\": {\"type\": \"text\"}}"},
        {"rel-topk", "\"mode\": \"fair_topk\"", "{\"title\": {\"type\": \"text\"}, \"shop\": {\"type\": \"keyword\"}}"},
    };

    public static void run(Http http, Fixture fixture, Section section) throws Exception {
        for (String[] m : MISCONFIGURED) {
            http.call("DELETE", "/" + m[0], null);
            Fixture.expectOk(http.call("PUT", "/" + m[0], "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, "
                + "\"index.fair_rescore\": {" + m[1] + "}}, \"mappings\": {\"properties\": " + m[2] + "}}"), "create " + m[0]);
            Fixture.expectOk(http.call("PUT", "/" + m[0] + "/_doc/1?refresh=true", "{\"title\": \"red running shoes\"}"), "index into " + m[0]);
        }
        long count = fixture.count(Fixture.CATALOG);
        String checksum = fixture.checksum(Fixture.CATALOG);
        JsonNode settings = fixture.settings(Fixture.CATALOG);
        JsonNode clusterSettings = fixture.clusterSettings();

        List<Case> cases = cases();
        int fiveHundreds = 0;
        for (Case c : cases) {
            Http.Reply reply = http.call(c.method(), c.path(), c.body(), "application/json");
            if (reply.status() >= 500) {
                fiveHundreds++;
            }
            boolean ok = reply.status() == c.status() && (c.reasonText().isEmpty() || reply.reasonContains(c.reasonText()));
            String detail = "expected " + c.status() + (c.reasonText().isEmpty() ? "" : " naming [" + c.reasonText() + "]") + ", got "
                + reply.status() + " " + reply.reasons();
            if (c.bug() != null) {
                section.knownBug(c.name(), ok, c.bug(), detail);
            } else {
                section.check(c.name(), ok, detail);
            }
        }
        section.check("no 5xx over " + cases.size() + " cases", fiveHundreds == 0, fiveHundreds + " answers were 5xx");
        section.check("cluster green after the matrix", fixture.green(), "not green");
        section.check("catalogue document count unchanged", fixture.count(Fixture.CATALOG) == count, "count changed from " + count);
        section.check("catalogue checksum unchanged", fixture.checksum(Fixture.CATALOG).equals(checksum), "documents changed");
        section.check("catalogue settings unchanged", fixture.settings(Fixture.CATALOG).equals(settings),
            "before " + settings + " after " + fixture.settings(Fixture.CATALOG));
        section.check("cluster settings unchanged", fixture.clusterSettings().equals(clusterSettings),
            "before " + clusterSettings + " after " + fixture.clusterSettings());
        section.check("no refused pipeline was stored", http.get("/_ingest/pipeline/rel-bad").status() == 404
            && http.get("/_search/pipeline/rel-bad").status() == 404, "a pipeline named rel-bad exists");
        section.check("no refused index was created", http.get("/rel-bad-create").status() == 404 && http.get("/rel-bad-mapping").status() == 404,
            "rel-bad-create or rel-bad-mapping exists");
        for (String[] m : MISCONFIGURED) {
            http.call("DELETE", "/" + m[0], null);
        }
        section.figure("cases", Integer.toString(cases.size()));
        section.figure("5xx", Integer.toString(fiveHundreds));
        section.figure("docs", Long.toString(count));
        section.figure("checksum", checksum);
    }
}
