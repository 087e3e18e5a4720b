package org.fairrescore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fairrescore.embed.BundledModel;
import org.fairrescore.embed.Encoding;
import org.fairrescore.embed.ModelRegistry;
import org.fairrescore.embed.OnnxEmbedder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The document-vector benchmark against a real node (see README.md in this folder): ingest through the
 * {@code fair_rescore_embed} processor against bare ONNX Runtime, then search latencies of BM25 alone and of
 * {@code fair_semantic} with stored vectors (new and cached query texts) and with on-the-fly embedding, on one and
 * three shards. Prints a table and the ratios the issue sets goals for. Not a test: nothing is asserted beyond the
 * sanity checks that the measured path is the intended one.
 */
public final class VectorBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PIPELINE = "bench-embed";
    private static final String PIPELINE_B8 = "bench-embed-b8";
    private static final String ONE = "bench-1";
    private static final String THREE = "bench-3";

    private final Map<String, String> opts;
    private final Http http;
    private final List<String[]> rows = new ArrayList<>();
    private final Map<String, Double> ratios = new LinkedHashMap<>();

    private VectorBench(Map<String, String> opts) {
        this.opts = opts;
        this.http = new Http(opts.get("url"));
    }

    private int intOpt(String name) {
        return Integer.parseInt(opts.get(name));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("url", "http://127.0.0.1:9200");
        opts.put("models", "");
        opts.put("model", ModelRegistry.DEFAULT_MODEL_ID);
        opts.put("docs", "50000");
        opts.put("queries", "200");
        opts.put("otf-queries", "30");
        opts.put("warmup", "40");
        opts.put("bulk", "250");
        opts.put("sample", "3000");
        opts.put("threads", "1");
        opts.put("window", "100");
        opts.put("esci", "../shared/data/esci/esci_us_queryset.json");
        opts.put("wands", "../shared/data/wands/query.tsv");
        opts.put("seed", "42");
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") == false || i + 1 >= args.length || opts.containsKey(args[i].substring(2)) == false) {
                throw new IllegalArgumentException("usage: VectorBench [--name value]..., names: " + opts.keySet() + "; got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        new VectorBench(opts).run();
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        JsonNode root = JSON.readTree(http.ok("GET", "/", null));
        log("node %s, OpenSearch %s, options %s", root.path("name").asText(), root.path("version").path("number").asText(), opts);

        // ---- data -------------------------------------------------------------------------------------------
        List<String> esci = Queries.esci(Path.of(opts.get("esci")));
        List<String> wands = Queries.wands(Path.of(opts.get("wands")));
        List<String> all = Queries.unique(esci, wands);
        int nq = intOpt("queries");
        int warm = intOpt("warmup");
        // half ESCI, half WANDS, the rest of both for warm-up
        List<String> benchQueries = new ArrayList<>();
        benchQueries.addAll(esci.subList(0, Math.min(esci.size(), nq / 2)));
        for (String q : wands) {
            if (benchQueries.size() >= nq) {
                break;
            }
            if (benchQueries.contains(q) == false) {
                benchQueries.add(q);
            }
        }
        List<String> warmQueries = new ArrayList<>();
        for (String q : all) {
            if (warmQueries.size() >= warm) {
                break;
            }
            if (benchQueries.contains(q) == false) {
                warmQueries.add(q);
            }
        }
        List<Catalog.Product> products = Catalog.generate(intOpt("docs"), all, 300, Long.parseLong(opts.get("seed")));
        List<String> sample = new ArrayList<>();
        Random r = new Random(Long.parseLong(opts.get("seed")) + 1);
        List<Catalog.Product> shuffled = new ArrayList<>(products);
        Collections.shuffle(shuffled, r);
        for (int i = 0; i < Math.min(intOpt("sample"), shuffled.size()); i++) {
            sample.add(shuffled.get(i).title());
        }
        log("%d products, %d bench queries (%d ESCI + %d WANDS), %d warm-up queries, ONNX sample of %d titles",
            products.size(), benchQueries.size(), Math.min(esci.size(), nq / 2), benchQueries.size() - Math.min(esci.size(), nq / 2), warmQueries.size(), sample.size());

        // ---- bare ONNX Runtime and the plugin path, before ingest --------------------------------------------
        int threads = intOpt("threads");
        BundledModel model = ModelRegistry.scan(Path.of(opts.get("models"))).get(opts.get("model"));
        double bare1Before;
        double bare8;
        double plugin1;
        double[] drift8;
        List<Encoding> encodings;
        try (OrtBaseline bare = new OrtBaseline(model, threads); OnnxEmbedder embedder = OnnxEmbedder.load(model, threads, 1)) {
            encodings = bare.tokenize(sample);
            bare.throughput(encodings.subList(0, Math.min(200, encodings.size())), 1, false); // warm-up
            embedder.embed(sample.subList(0, Math.min(200, sample.size())), 1);
            bare1Before = bare.throughput(encodings, 1, false);
            plugin1 = OrtBaseline.pluginThroughput(embedder, sample, 1);
            bare8 = bare.throughput(encodings, 8, true);
            drift8 = OrtBaseline.batchDrift(embedder, sample.subList(0, Math.min(1000, sample.size())), 8);
        }
        log("bare ORT batch 1: %.1f texts/s; plugin path batch 1: %.1f texts/s; bare ORT batch 8: %.1f texts/s", bare1Before, plugin1, bare8);

        // ---- ingest through the processor ----------------------------------------------------------------
        http.ok("PUT", "/_ingest/pipeline/" + PIPELINE,
            "{\"processors\":[{\"fair_rescore_embed\":{\"field_map\":{\"title\":\"title_vector\"},\"batch_size\":64}}]}");
        http.ok("PUT", "/_ingest/pipeline/" + PIPELINE_B8,
            "{\"processors\":[{\"fair_rescore_embed\":{\"field_map\":{\"title\":\"title_vector\"},\"batch_size\":64,\"inference_batch\":8}}]}");
        for (String index : List.of(ONE, THREE, "bench-b8", "bench-b1")) {
            http.json("DELETE", "/" + index, null);
        }
        createIndex(ONE, 1, true);
        double ingest1 = ingest(ONE, products, PIPELINE);
        log("ingest through the processor (inference batch 1): %.1f docs/s", ingest1);

        double bare1After;
        try (OrtBaseline bare = new OrtBaseline(model, threads)) {
            bare.throughput(encodings.subList(0, Math.min(200, encodings.size())), 1, false);
            bare1After = bare.throughput(encodings, 1, false);
        }
        double bare1 = (bare1Before + bare1After) / 2;
        log("bare ORT batch 1 after ingest: %.1f texts/s (mean of before and after: %.1f)", bare1After, bare1);

        // the same sample through the processor at inference batch 8 and at 1, into scratch indices
        List<Catalog.Product> sampleDocs = shuffled.subList(0, sample.size());
        createIndex("bench-b8", 1, false);
        double ingest8 = ingest("bench-b8", sampleDocs, PIPELINE_B8);
        http.ok("DELETE", "/bench-b8", null);
        createIndex("bench-b1", 1, false);
        double ingest1Sample = ingest("bench-b1", sampleDocs, PIPELINE);
        http.ok("DELETE", "/bench-b1", null);
        log("sample through the processor: inference batch 8 %.1f docs/s, batch 1 %.1f docs/s", ingest8, ingest1Sample);

        // ---- three shards from the same vectors: split, no embedding ---------------------------------------
        http.ok("POST", "/" + ONE + "/_refresh", null);
        http.ok("POST", "/" + ONE + "/_forcemerge?max_num_segments=1", null);
        http.ok("PUT", "/" + ONE + "/_settings", "{\"index.blocks.write\": true}");
        http.ok("POST", "/" + ONE + "/_split/" + THREE + "?wait_for_active_shards=all",
            "{\"settings\":{\"index.number_of_shards\":3,\"index.number_of_replicas\":0,\"index.blocks.write\":null}}");
        http.ok("GET", "/_cluster/health/" + THREE + "?wait_for_status=green&timeout=120s", null);
        http.ok("POST", "/" + THREE + "/_forcemerge?max_num_segments=1", null);
        http.ok("PUT", "/" + ONE + "/_settings", "{\"index.blocks.write\": null}");
        long count3 = JSON.readTree(http.ok("GET", "/" + THREE + "/_count", null)).get("count").asLong();
        if (count3 != products.size()) {
            throw new IllegalStateException(THREE + " holds " + count3 + " documents, expected " + products.size());
        }

        // ---- search latencies ------------------------------------------------------------------------------
        for (String index : List.of(ONE, THREE)) {
            searchRuns(index, benchQueries, warmQueries);
        }

        // ---- report --------------------------------------------------------------------------------------------
        System.out.println();
        System.out.println("| index | run | queries | p50 ms | p95 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (String[] row : rows) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
        System.out.println();
        System.out.println("| throughput (" + threads + " intra-op thread, " + products.size() + " docs, sample " + sample.size() + ") | texts/s |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| bare ONNX Runtime, batch 1 (before / after ingest) | %.1f / %.1f |%n", bare1Before, bare1After);
        System.out.printf(Locale.ROOT, "| plugin embedding path (OnnxEmbedder), batch 1 | %.1f |%n", plugin1);
        System.out.printf(Locale.ROOT, "| ingest through fair_rescore_embed, batch 1, %d docs | %.1f |%n", products.size(), ingest1);
        System.out.printf(Locale.ROOT, "| ingest through fair_rescore_embed, batch 1, sample | %.1f |%n", ingest1Sample);
        System.out.printf(Locale.ROOT, "| bare ONNX Runtime, batch 8 (length-sorted) | %.1f |%n", bare8);
        System.out.printf(Locale.ROOT, "| ingest through fair_rescore_embed, inference_batch 8, sample | %.1f |%n", ingest8);
        System.out.printf(Locale.ROOT, "| batch-8 vectors vs solo: mean / min cosine | %.5f / %.5f |%n", drift8[0], drift8[1]);
        ratios.put("ingest / bare ORT (batch 1), goal >= 0.80", ingest1 / bare1);
        ratios.put("plugin embedding path / bare ORT (batch 1), goal >= 0.90", plugin1 / bare1Before);
        ratios.put("ingest / bare ORT (inference_batch 8)", ingest8 / bare8);
        System.out.println();
        System.out.println("| ratio | value |");
        System.out.println("|---|---|");
        for (Map.Entry<String, Double> e : ratios.entrySet()) {
            System.out.printf(Locale.ROOT, "| %s | %.3f |%n", e.getKey(), e.getValue());
        }
        System.out.printf(Locale.ROOT, "%nbenchmark wall time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private void createIndex(String name, int shards, boolean routingForSplit) throws IOException {
        ObjectNode settings = JSON.createObjectNode();
        settings.put("index.number_of_shards", shards);
        settings.put("index.number_of_replicas", 0);
        if (routingForSplit) {
            settings.put("index.number_of_routing_shards", 3);
        }
        settings.put("index.refresh_interval", "30s");
        settings.putArray("index.fair_rescore.text_fields").add("title");
        settings.put("index.fair_rescore.vector_field", "title_vector");
        settings.put("index.fair_rescore.shop_field", "shop");
        settings.put("index.fair_rescore.max_per_shop", 3);
        settings.put("index.fair_rescore.cap_window", 10);
        String body = "{\"settings\":" + settings + ",\"mappings\":{\"properties\":{"
            + "\"title\":{\"type\":\"text\"},\"shop\":{\"type\":\"keyword\"},\"price\":{\"type\":\"float\"},"
            + "\"title_vector\":{\"type\":\"fair_rescore_vector\",\"dims\":384}}}}";
        http.ok("PUT", "/" + name, body);
        http.ok("GET", "/_cluster/health/" + name + "?wait_for_status=green&timeout=60s", null);
    }

    /** Bulk-loads the products through a pipeline with one client; documents per second of wall time. */
    private double ingest(String index, List<Catalog.Product> products, String pipeline) throws IOException {
        int bulk = intOpt("bulk");
        long t0 = System.nanoTime();
        int done = 0;
        long lastLog = t0;
        for (int from = 0; from < products.size(); from += bulk) {
            StringBuilder body = new StringBuilder();
            for (Catalog.Product p : products.subList(from, Math.min(products.size(), from + bulk))) {
                ObjectNode action = JSON.createObjectNode();
                action.putObject("index").put("_id", p.id());
                ObjectNode doc = JSON.createObjectNode();
                doc.put("title", p.title()).put("shop", p.shop()).put("price", p.price());
                body.append(action).append('\n').append(doc).append('\n');
            }
            JsonNode response = JSON.readTree(http.ndjson("/" + index + "/_bulk?pipeline=" + pipeline, body.toString()));
            if (response.path("errors").asBoolean(true)) {
                throw new IllegalStateException("bulk into " + index + " had errors: " + Http.truncate(response.toString()));
            }
            done = Math.min(products.size(), from + bulk);
            long now = System.nanoTime();
            if (now - lastLog > 30e9) {
                log("  %s: %d / %d docs, %.1f docs/s", index, done, products.size(), done / ((now - t0) / 1e9));
                lastLog = now;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        http.ok("POST", "/" + index + "/_refresh", null);
        return done / seconds;
    }

    private String search(String query, boolean rescore, boolean explain) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 10);
        body.putObject("_source").putArray("excludes").add("title_vector");
        body.putObject("query").putObject("match").put("title", query);
        if (rescore) {
            ObjectNode rescoreNode = body.putObject("rescore");
            rescoreNode.put("window_size", intOpt("window"));
            rescoreNode.putObject("fair_semantic").put("query_text", query);
        }
        if (explain) {
            body.put("explain", true);
        }
        return body.toString();
    }

    /** Runs each query once, sequentially; latencies in ms, measured around the HTTP call. */
    private double[] time(String index, List<String> queries, boolean rescore) throws IOException {
        double[] ms = new double[queries.size()];
        long windowHits = 0;
        for (int i = 0; i < queries.size(); i++) {
            String body = search(queries.get(i), rescore, false);
            long t0 = System.nanoTime();
            Http.Response r = http.json("POST", "/" + index + "/_search", body);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.status() != 200 || r.body().contains("\"failed\":0") == false) {
                throw new IllegalStateException("search on " + index + " failed: " + Http.truncate(r.body()));
            }
            windowHits += Math.min(intOpt("window"), JSON.readTree(r.body()).path("hits").path("total").path("value").asLong());
        }
        if (rescore && queries.size() > 1 && windowHits < queries.size() * 10L) {
            log("  warning: only %d hits per query on average reach the rescorer", windowHits / queries.size());
        }
        return ms;
    }

    private void clearQueryCache() throws IOException {
        http.ok("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.query.size\":\"0b\"}}");
        http.ok("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.query.size\":null}}");
    }

    private void checkExplain(String index, String query, String mustContain) throws IOException {
        String body = http.ok("POST", "/" + index + "/_search", search(query, true, true));
        if (body.contains(mustContain) == false) {
            throw new IllegalStateException("explain on " + index + " does not say [" + mustContain + "]: " + Http.truncate(body));
        }
    }

    private void searchRuns(String index, List<String> queries, List<String> warmQueries) throws IOException {
        log("%s: warm-up with %d other queries", index, warmQueries.size());
        time(index, warmQueries, false);
        time(index, warmQueries, true);
        time(index, warmQueries, true);
        clearQueryCache();

        // interleaved per query (a, b, c), so that all three see the same machine load
        double[] bm25 = new double[queries.size()];
        double[] fresh = new double[queries.size()];
        double[] cached = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            List<String> one = List.of(queries.get(i));
            bm25[i] = time(index, one, false)[0];
            fresh[i] = time(index, one, true)[0];
            cached[i] = time(index, one, true)[0];
        }
        double occupancy = 0;
        for (String q : queries) {
            String body = "{\"size\":0,\"track_total_hits\":" + intOpt("window") + ",\"query\":{\"match\":{\"title\":" + JSON.writeValueAsString(q) + "}}}";
            occupancy += Math.min(intOpt("window"), JSON.readTree(http.ok("POST", "/" + index + "/_search", body)).path("hits").path("total").path("value").asLong());
        }
        log("  %s: %.1f hits per query reach the rescorer on average (window %s per shard)", index, occupancy / queries.size(), opts.get("window"));
        record(index, "(a) BM25 only", bm25);
        record(index, "(b) fair_semantic, stored vectors, new query texts", fresh);
        record(index, "(c) fair_semantic, stored vectors, cached query texts", cached);
        checkExplain(index, queries.get(0), "vector stored in [title_vector]");

        // (d): the same index read as if it had no vectors, the node's document cache off, query vectors cached
        int nd = Math.min(intOpt("otf-queries"), queries.size());
        http.ok("PUT", "/" + index + "/_settings", "{\"index.fair_rescore.vector_field\": \"\"}");
        http.ok("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.documents.size\":\"0b\"}}");
        try {
            checkExplain(index, queries.get(0), "embedded on the fly");
            double[] otf = time(index, queries.subList(0, nd), true);
            record(index, "(d) fair_semantic, on-the-fly embedding (no cache), cached query texts", otf);
            double p50a = percentile(bm25, 50);
            ratios.put(index + " (b)/(a) p50, goal <= 1.25", percentile(fresh, 50) / p50a);
            ratios.put(index + " (c)/(a) p50, goal <= 1.05", percentile(cached, 50) / p50a);
            ratios.put(index + " (d)/(a) p50", percentile(otf, 50) / p50a);
            ratios.put(index + " (b)/(a) p95", percentile(fresh, 95) / percentile(bm25, 95));
            ratios.put(index + " (c)/(a) p95", percentile(cached, 95) / percentile(bm25, 95));
        } finally {
            http.ok("PUT", "/" + index + "/_settings", "{\"index.fair_rescore.vector_field\": \"title_vector\"}");
            http.ok("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.documents.size\":null}}");
        }
    }

    private void record(String index, String run, double[] ms) {
        rows.add(new String[] {
            index,
            run,
            Integer.toString(ms.length),
            String.format(Locale.ROOT, "%.2f", percentile(ms, 50)),
            String.format(Locale.ROOT, "%.2f", percentile(ms, 95)),
            String.format(Locale.ROOT, "%.2f", percentile(ms, 99)) });
        log("  %s %s: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (%d queries)", index, run, percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), ms.length);
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
