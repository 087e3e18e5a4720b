package org.fairrescore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fairrescore.model.BundledModel;
import org.fairrescore.model.ModelRegistry;
import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.reliability.Http;
import org.fairrescore.settings.FairRescoreSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * three shards. Prints a table and the ratios that README.md sets goals for. Not a test: nothing is asserted beyond the
 * sanity checks that the measured path is the intended one.
 */
public final class VectorBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PIPELINE = "bench-embed";
    private static final String PIPELINE_B8 = "bench-embed-b8";
    private static final String ONE = "bench-1";
    private static final String THREE = "bench-3";
    /** Each index's twin (a clone: the same segments and vectors) whose exposure mode goes to amortized for (c'). */
    private static final String TWIN = "-amortized";

    private final Map<String, String> opts;
    private final Http http;
    private final List<String[]> rows = new ArrayList<>();
    private final Map<String, Double> ratios = new LinkedHashMap<>();

    private VectorBench(Map<String, String> opts) {
        this.opts = opts;
        this.http = new Http(opts.get("url"), Duration.ofMinutes(10)); // a forcemerge or split of 50,000 documents
    }

    private int intOpt(String name) {
        return Integer.parseInt(opts.get(name));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("url", "http://127.0.0.1:9200");
        opts.put("models", "");
        opts.put("model", FairRescoreSettings.DEFAULT_MODEL);
        opts.put("docs", "50000");
        opts.put("queries", "200");
        opts.put("otf-queries", "30");
        opts.put("warmup", "40");
        opts.put("bulk", "250");
        opts.put("sample", "2000");
        opts.put("pair-every", "8");
        opts.put("threads", "1");
        opts.put("window", "100");
        opts.put("esci", "../shared/data/esci/esci_us_queryset.json");
        opts.put("wands", "../shared/data/wands/query.tsv");
        opts.put("seed", "42");
        opts.put("ledger-shops", "5000");
        opts.put("pair-rounds", "5");
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") == false || i + 1 >= args.length || opts.containsKey(args[i].substring(2)) == false) {
                throw new IllegalArgumentException("usage: VectorBench [--name value]..., names: " + opts.keySet() + "; got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        new VectorBench(opts).run();
    }

    /** The first 2,000 characters of an answer, for error messages. */
    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        JsonNode root = http.expect("GET", "/", null).json();
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

        // ---- ingest through the processor, paired with bare ONNX Runtime and the plugin path ---------------------
        // Throughput on a shared machine drifts with the load, so every comparison is made on the same texts at
        // the same time: every `pair-every`-th bulk request is followed by bare ONNX Runtime and the plugin path on
        // that request's titles, and the ratios are taken over those pairs only.
        int threads = intOpt("threads");
        int group = 64; // the pipeline's batch_size
        BundledModel model = ModelRegistry.scan(Path.of(opts.get("models"))).get(opts.get("model"));
        http.expect("PUT", "/_ingest/pipeline/" + PIPELINE,
            "{\"processors\":[{\"fair_rescore_embed\":{\"field_map\":{\"title\":\"title_vector\"},\"batch_size\":" + group + "}}]}");
        http.expect("PUT", "/_ingest/pipeline/" + PIPELINE_B8,
            "{\"processors\":[{\"fair_rescore_embed\":{\"field_map\":{\"title\":\"title_vector\"},\"batch_size\":" + group
                + ",\"inference_batch\":8}}]}");
        for (String index : List.of(ONE, THREE, "bench-b8", ONE + TWIN, THREE + TWIN)) {
            http.expect("DELETE", "/" + index, null, 200, 404);
        }
        createIndex(ONE, 1, true);
        Paired b1;
        Paired b8;
        double[] drift8;
        try (OrtBaseline bare = new OrtBaseline(model, threads); OnnxEmbedder embedder = OnnxEmbedder.load(model, threads, 1)) {
            List<String> warmTexts = sample.subList(0, Math.min(200, sample.size()));
            bare.seconds(bare.tokenize(warmTexts), 1, group);
            OrtBaseline.pluginSeconds(embedder, warmTexts, 1, group);

            b1 = ingestPaired(ONE, products, PIPELINE, 1, group, intOpt("pair-every"), bare, embedder);
            log("inference batch 1: ingest %.1f docs/s over %d docs; on %d paired texts: ingest %.1f, bare ORT %.1f, plugin path %.1f texts/s",
                b1.ingestAll(), products.size(), b1.texts(), b1.ingest(), b1.bare(), b1.plugin());

            createIndex("bench-b8", 1, false);
            b8 = ingestPaired("bench-b8", shuffled.subList(0, sample.size()), PIPELINE_B8, 8, group, 1, bare, embedder);
            http.expect("DELETE", "/bench-b8", null);
            log("inference batch 8 on %d texts: ingest %.1f, bare ORT %.1f, plugin path %.1f texts/s", b8.texts(), b8.ingest(), b8.bare(), b8.plugin());
            drift8 = OrtBaseline.batchDrift(embedder, sample.subList(0, Math.min(1000, sample.size())), 8);
        }

        // ---- three shards from the same vectors: split, no embedding ---------------------------------------
        http.expect("POST", "/" + ONE + "/_refresh", null);
        http.expect("POST", "/" + ONE + "/_forcemerge?max_num_segments=1", null);
        http.expect("PUT", "/" + ONE + "/_settings", "{\"index.blocks.write\": true}");
        http.expect("POST", "/" + ONE + "/_split/" + THREE + "?wait_for_active_shards=all",
            "{\"settings\":{\"index.number_of_shards\":3,\"index.number_of_replicas\":0,\"index.blocks.write\":null}}");
        http.expect("GET", "/_cluster/health/" + THREE + "?wait_for_status=green&timeout=120s", null);
        http.expect("POST", "/" + THREE + "/_forcemerge?max_num_segments=1", null);
        // the twins of (c'): clones share the source's segment files (hard links), so the two indices differ only in
        // the exposure mode once it is set
        clone(ONE);
        http.expect("PUT", "/" + THREE + "/_settings", "{\"index.blocks.write\": true}");
        clone(THREE);
        http.expect("PUT", "/" + THREE + "/_settings", "{\"index.blocks.write\": null}");
        http.expect("PUT", "/" + ONE + "/_settings", "{\"index.blocks.write\": null}");
        long count3 = http.expect("GET", "/" + THREE + "/_count", null).json().get("count").asLong();
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
        System.out.println("| throughput, " + threads + " intra-op thread(s), texts/s | inference batch 1 | inference batch 8 |");
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| ingest through fair_rescore_embed, all %d docs | %.1f | |%n", products.size(), b1.ingestAll());
        System.out.printf(Locale.ROOT, "| ingest through fair_rescore_embed, paired texts | %.1f | %.1f |%n", b1.ingest(), b8.ingest());
        System.out.printf(Locale.ROOT, "| bare ONNX Runtime, same texts | %.1f | %.1f |%n", b1.bare(), b8.bare());
        System.out.printf(Locale.ROOT, "| plugin embedding path (OnnxEmbedder), same texts | %.1f | %.1f |%n", b1.plugin(), b8.plugin());
        System.out.printf(Locale.ROOT, "| paired texts | %d | %d |%n", b1.texts(), b8.texts());
        System.out.printf(Locale.ROOT, "%nbatch-8 vectors against solo vectors of the same texts: mean cosine %.5f, min %.5f%n", drift8[0], drift8[1]);
        ratios.put("ingest / bare ORT, inference batch 1, goal >= 0.80", b1.ingest() / b1.bare());
        ratios.put("plugin embedding path / bare ORT, batch 1, goal >= 0.90", b1.plugin() / b1.bare());
        ratios.put("ingest / bare ORT, inference batch 8", b8.ingest() / b8.bare());
        ratios.put("plugin embedding path / bare ORT, batch 8", b8.plugin() / b8.bare());
        System.out.println();
        System.out.println("| ratio | value |");
        System.out.println("|---|---|");
        for (Map.Entry<String, Double> e : ratios.entrySet()) {
            System.out.printf(Locale.ROOT, "| %s | %.3f |%n", e.getKey(), e.getValue());
        }
        System.out.printf(Locale.ROOT, "%nbenchmark wall time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Clones write-blocked {@code source} into its twin (the same shards, segments and settings, writable). */
    private void clone(String source) {
        http.expect("POST", "/" + source + "/_clone/" + source + TWIN + "?wait_for_active_shards=all",
            "{\"settings\":{\"index.number_of_replicas\":0,\"index.blocks.write\":null}}");
        http.expect("GET", "/_cluster/health/" + source + TWIN + "?wait_for_status=green&timeout=120s", null);
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
        settings.put("index.fair_rescore.max_per_shop", 0); // quotas off: runs (a)-(d) measure vectors; (e) turns the cap on
        settings.put("index.fair_rescore.cap_window", 10);
        String body = "{\"settings\":" + settings + ",\"mappings\":{\"properties\":{"
            + "\"title\":{\"type\":\"text\"},\"shop\":{\"type\":\"keyword\"},\"price\":{\"type\":\"float\"},"
            + "\"title_vector\":{\"type\":\"fair_rescore_vector\",\"dims\":384}}}}";
        http.expect("PUT", "/" + name, body);
        http.expect("GET", "/_cluster/health/" + name + "?wait_for_status=green&timeout=60s", null);
    }

    /** Throughputs in texts per second: all bulks, and over the paired bulks ingest, bare ORT and the plugin path. */
    record Paired(double ingestAll, double ingest, double bare, double plugin, int texts) {}

    /**
     * Bulk-loads the products through a pipeline with one client; every {@code pairEvery}-th bulk request is followed
     * by bare ONNX Runtime and by the plugin's embedding path on the same titles, in the processor's grouping.
     */
    private Paired ingestPaired(
        String index,
        List<Catalog.Product> products,
        String pipeline,
        int batch,
        int group,
        int pairEvery,
        OrtBaseline bare,
        OnnxEmbedder embedder
    ) throws Exception {
        int bulk = intOpt("bulk");
        double allSeconds = 0;
        double pairedIngest = 0;
        double pairedBare = 0;
        double pairedPlugin = 0;
        int pairedTexts = 0;
        int done = 0;
        long lastLog = System.nanoTime();
        for (int from = 0, k = 0; from < products.size(); from += bulk, k++) {
            List<Catalog.Product> chunk = products.subList(from, Math.min(products.size(), from + bulk));
            StringBuilder body = new StringBuilder();
            for (Catalog.Product p : chunk) {
                ObjectNode action = JSON.createObjectNode();
                action.putObject("index").put("_id", p.id());
                ObjectNode doc = JSON.createObjectNode();
                doc.put("title", p.title()).put("shop", p.shop()).put("price", p.price());
                body.append(action).append('\n').append(doc).append('\n');
            }
            long t0 = System.nanoTime();
            JsonNode response = http.expectNdjson("/" + index + "/_bulk?pipeline=" + pipeline, body.toString()).json();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (response.path("errors").asBoolean(true)) {
                throw new IllegalStateException("bulk into " + index + " had errors: " + truncate(response.toString()));
            }
            allSeconds += seconds;
            done += chunk.size();
            if (k % pairEvery == 0) {
                List<String> titles = new ArrayList<>(chunk.size());
                for (Catalog.Product p : chunk) {
                    titles.add(p.title());
                }
                // the processor's order: steps of `group`, each sorted by text length when batching
                List<String> ordered = new ArrayList<>();
                for (List<String> step : OrtBaseline.groups(titles, batch, group)) {
                    if (batch > 1) {
                        step.sort(java.util.Comparator.comparingInt(String::length));
                    }
                    ordered.addAll(step);
                }
                pairedIngest += seconds;
                pairedBare += bare.seconds(bare.tokenize(ordered), batch, group);
                pairedPlugin += OrtBaseline.pluginSeconds(embedder, titles, batch, group);
                pairedTexts += chunk.size();
            }
            long now = System.nanoTime();
            if (now - lastLog > 30e9) {
                log("  %s: %d / %d docs, %.1f docs/s through the processor", index, done, products.size(), done / allSeconds);
                lastLog = now;
            }
        }
        http.expect("POST", "/" + index + "/_refresh", null);
        return new Paired(done / allSeconds, pairedTexts / pairedIngest, pairedTexts / pairedBare, pairedTexts / pairedPlugin, pairedTexts);
    }

    /** How a search is made: BM25 alone, BM25 with a no-op query rescore of the same window, or fair_semantic. */
    enum Mode {
        BM25,
        WINDOW_ONLY,
        FAIR_SEMANTIC
    }

    private String search(String query, boolean rescore, boolean explain) {
        return search(query, rescore ? Mode.FAIR_SEMANTIC : Mode.BM25, explain);
    }

    private String search(String query, Mode mode, boolean explain) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 10);
        body.putObject("_source").putArray("excludes").add("title_vector");
        body.putObject("query").putObject("match").put("title", query);
        if (mode == Mode.FAIR_SEMANTIC) {
            ObjectNode rescoreNode = body.putObject("rescore");
            rescoreNode.put("window_size", intOpt("window"));
            rescoreNode.putObject("fair_semantic").put("query_text", query);
        } else if (mode == Mode.WINDOW_ONLY) {
            // the same window collected and rescored by the stock query rescorer, changing nothing
            ObjectNode rescoreNode = body.putObject("rescore");
            rescoreNode.put("window_size", intOpt("window"));
            ObjectNode q = rescoreNode.putObject("query");
            q.putObject("rescore_query").putObject("match_all");
            q.put("query_weight", 1.0).put("rescore_query_weight", 0.0);
        }
        if (explain) {
            body.put("explain", true);
        }
        return body.toString();
    }

    /**
     * Runs each query once, sequentially; latencies in ms, measured around the HTTP call (which includes reading the
     * answer into a JSON tree: tens of microseconds, the same in every run).
     */
    private double[] time(String index, List<String> queries, boolean rescore) throws IOException {
        return time(index, queries, rescore ? Mode.FAIR_SEMANTIC : Mode.BM25);
    }

    private double[] time(String index, List<String> queries, Mode mode) throws IOException {
        boolean rescore = mode == Mode.FAIR_SEMANTIC;
        double[] ms = new double[queries.size()];
        long windowHits = 0;
        for (int i = 0; i < queries.size(); i++) {
            String body = search(queries.get(i), mode, false);
            long t0 = System.nanoTime();
            Http.Reply r = http.expect("POST", "/" + index + "/_search", body, 200);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.json().path("_shards").path("failed").asInt(-1) != 0) {
                throw new IllegalStateException("search on " + index + " failed: " + truncate(r.raw()));
            }
            windowHits += Math.min(intOpt("window"), r.json().path("hits").path("total").path("value").asLong());
        }
        if (rescore && queries.size() > 1 && windowHits < queries.size() * 10L) {
            log("  warning: only %d hits per query on average reach the rescorer", windowHits / queries.size());
        }
        return ms;
    }

    /**
     * Each query as BM25 alone and rescored by {@code fair_semantic}, one after the other, alternating which goes first:
     * {BM25 latencies, rescored latencies}.
     */
    private double[][] pairedWithBm25(String index, List<String> queries) throws IOException {
        double[] bm25 = new double[queries.size()];
        double[] rescored = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            List<String> one = List.of(queries.get(i));
            if (i % 2 == 0) {
                bm25[i] = time(index, one, false)[0];
                rescored[i] = time(index, one, true)[0];
            } else {
                rescored[i] = time(index, one, true)[0];
                bm25[i] = time(index, one, false)[0];
            }
        }
        return new double[][] { bm25, rescored };
    }

    /** The node's {@code rescore.query_vector_wait}: windows counted and their total wait in µs. */
    private double[] queryVectorWait() throws IOException {
        JsonNode nodes = http.expect("GET", "/_plugins/_fair_rescore/stats", null).json().path("nodes");
        double count = 0;
        double sum = 0;
        for (JsonNode node : nodes) {
            JsonNode wait = node.path("rescore").path("query_vector_wait");
            count += wait.path("count").asDouble();
            sum += wait.path("count").asDouble() * wait.path("mean_in_micros").asDouble();
        }
        return new double[] { count, sum };
    }

    private static void collectExplain(JsonNode explanation, String id, List<String> out) {
        String d = explanation.path("description").asText("");
        if (d.contains("cosine") || d.contains("vector") || d.contains("exposure") || d.startsWith("fair_semantic")) {
            out.add(id + ": " + d);
        }
        for (JsonNode child : explanation.path("details")) {
            collectExplain(child, id, out);
        }
    }

    private void clearQueryCache() throws IOException {
        http.expect("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.query.size\":\"0b\"}}");
        http.expect("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.query.size\":null}}");
    }

    private void checkExplain(String index, String query, String mustContain) throws IOException {
        String body = http.expect("POST", "/" + index + "/_search", search(query, true, true)).raw();
        if (body.contains(mustContain) == false) {
            // the lines that say where each hit's vector came from, not the first 2,000 characters of Lucene's explanation
            List<String> lines = new ArrayList<>();
            for (JsonNode hit : JSON.readTree(body).path("hits").path("hits")) {
                collectExplain(hit.path("_explanation"), hit.path("_id").asText(), lines);
            }
            throw new IllegalStateException("explain on " + index + " does not say [" + mustContain + "]; its fair_semantic lines: "
                + truncate(String.join(" | ", lines)));
        }
    }

    private void searchRuns(String index, List<String> queries, List<String> warmQueries) throws IOException {
        String twin = index + TWIN;
        log("%s: warm-up with %d other queries (and its twin %s)", index, warmQueries.size(), twin);
        time(index, warmQueries, false);
        time(index, warmQueries, true);
        time(index, warmQueries, true);
        time(twin, warmQueries, true);
        clearQueryCache();

        // Lucene side warm for the benchmark's own queries (page cache, term dictionary), as for popular queries in
        // production; the vector caches are untouched, so (b) still meets each query text for the first time.
        time(index, queries, false);
        time(twin, queries, false);

        // (c0): the twin with the exposure mode still off against (c), query by query in pair-rounds rounds, alternating
        // which goes first: what the second index alone changes (A/A), the floor under which (c') - (c) says nothing.
        // The query cache is emptied again afterwards, so that (b) below meets every text for the first time.
        time(index, queries, true); // embeds every text: all the runs below find it cached
        double[][] aa = pairedRounds(index, twin, queries);
        clearQueryCache();
        int ledgerShops = populateLedger(twin, warmQueries);

        // Interleaved per query, so that all runs see the same machine load, in an order that rotates through the 40
        // orders of (a, a', b, c, c') that keep (b) before (c) and (c'): no run always goes first (on the coldest
        // caches) or always right after an inference (whose weights push the search's code and data out of the CPU
        // caches).
        double[] bm25 = new double[queries.size()];
        double[] windowOnly = new double[queries.size()];
        double[] fresh = new double[queries.size()];
        double[] cached = new double[queries.size()];
        double[] amortized = new double[queries.size()];
        double[] waitBefore = queryVectorWait();
        JsonNode exposureBefore = exposureStats();
        for (int i = 0; i < queries.size(); i++) {
            List<String> one = List.of(queries.get(i));
            for (int run : RUN_ORDERS[i % RUN_ORDERS.length]) {
                switch (run) {
                    case 0 -> bm25[i] = time(index, one, false)[0];
                    case 1 -> windowOnly[i] = time(index, one, Mode.WINDOW_ONLY)[0];
                    case 2 -> fresh[i] = time(index, one, true)[0];
                    case 3 -> cached[i] = time(index, one, true)[0];
                    default -> amortized[i] = time(twin, one, true)[0];
                }
            }
        }
        JsonNode exposureAfter = exposureStats();
        long boostedWindows = exposureAfter.path("windows").asLong() - exposureBefore.path("windows").asLong();
        long served = exposureAfter.path("served_searches").asLong() - exposureBefore.path("served_searches").asLong();
        long syncs = exposureAfter.path("syncs").asLong() - exposureBefore.path("syncs").asLong();
        JsonNode view = http.expect("GET", "/_plugins/_fair_rescore/exposure/" + twin + "?local=true&size=0", null).json();
        log("  %s (c'): %d shard windows read the exposure view, %d searches recorded their served ranks, %d scheduled syncs during "
            + "the loop; the view as the rescorer read it at the end: %d shops (%d with merit)", twin, boostedWindows, served, syncs,
            view.path("totals").path("shops").asLong(), view.path("totals").path("shops_with_merit").asLong());
        if (boostedWindows < queries.size() || served < queries.size()) {
            throw new IllegalStateException("(c') on " + twin + " did not run in the amortized mode: " + boostedWindows
                + " windows read the view, " + served + " searches recorded, for " + queries.size() + " searches");
        }
        // server side: (b), (c) and (c') rescore the same number of shard windows; (c) and (c') find the vector cached
        double[] waitAfter = queryVectorWait();
        // (c) against (c') alone, the same rounds as the A/A above: what the mode adds, with as many pairs as that
        double[][] ab = pairedRounds(index, twin, queries);
        // (c'f): the same with exposure.source feedback, so the coordinator records no served ranks (no shop doc-value
        // field asked for, nothing credited): the shard side alone, which reads the view, boosts and records merit
        http.expect("PUT", "/" + twin + "/_settings", "{\"index.fair_rescore.exposure.source\": \"feedback\"}");
        double[][] shardSide;
        try {
            shardSide = pairedRounds(index, twin, queries);
        } finally {
            http.expect("PUT", "/" + twin + "/_settings", "{\"index.fair_rescore.exposure.source\": \"served\"}");
        }
        double bWindows = (waitAfter[0] - waitBefore[0]) / 3;
        if (bWindows > 0) {
            double waitMs = (waitAfter[1] - waitBefore[1]) / bWindows / 1000;
            log("  %s (b): shard windows waited %.2f ms on average for their query vector (node stats)", index, waitMs);
            ratios.put(index + " (b) server-side wait for the query vector, mean ms per shard window (not a ratio)", waitMs);
        }
        double occupancy = 0;
        for (String q : queries) {
            String body = "{\"size\":0,\"track_total_hits\":" + intOpt("window") + ",\"query\":{\"match\":{\"title\":" + JSON.writeValueAsString(q) + "}}}";
            occupancy += Math.min(intOpt("window"), http.expect("POST", "/" + index + "/_search", body).json().path("hits").path("total").path("value").asLong());
        }
        log("  %s: %.1f first-pass hits per query on average, counted up to %s", index, occupancy / queries.size(), opts.get("window"));
        record(index, "(a) BM25 only", bm25);
        record(index, "(a') BM25 + stock query rescorer on the same window, changing nothing", windowOnly);
        record(index, "(b) fair_semantic, stored vectors, new query texts", fresh);
        record(index, "(c) fair_semantic, stored vectors, cached query texts", cached);
        record(index, "(c') as (c), on the twin index in exposure mode amortized (ledger of " + ledgerShops + " shops)", amortized);
        int rounds = intOpt("pair-rounds");
        record(index, "(c) paired with (c0), " + rounds + " rounds", aa[0]);
        record(index, "(c0) as (c), on the twin index with the exposure mode off (A/A)", aa[1]);
        record(index, "(c) paired with (c'), " + rounds + " rounds", ab[0]);
        record(index, "(c') as (c), on the twin in exposure mode amortized, paired", ab[1]);
        record(index, "(c) paired with (c'f), " + rounds + " rounds", shardSide[0]);
        record(index, "(c'f) as (c'), exposure.source feedback: no served ranks recorded, paired", shardSide[1]);
        ratios.put(index + " main loop: (c') - (c) p50, ms", percentile(amortized, 50) - percentile(cached, 50));
        ratios.put(index + " main loop: (c')/(c) p50", percentile(amortized, 50) / percentile(cached, 50));
        pairedRatios(index, "(c') - (c), paired rounds: what the amortized mode adds (goal <= 0.1)", ab);
        pairedRatios(index, "(c'f) - (c), paired rounds, source feedback: the shard side alone (reads the view, boosts, merit)",
            shardSide);
        pairedRatios(index, "(c0) - (c), paired rounds, mode off on both (A/A: the floor of what a difference can say)", aa);
        checkExplain(index, queries.get(0), "vector stored in [title_vector]");
        checkExplain(twin, queries.get(0), "exposure boost (amortized over the traffic)");

        // (b0): (b) without the coordinating node's early start of the query embedding, paired with its own BM25 run.
        // The text is the query in capitals: the model's tokenizer lowercases, so the same tokens and the same BM25
        // hits, but a text the query cache has not seen.
        http.expect("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.inference.prefetch\":false}}");
        try {
            double[] lateWaitBefore = queryVectorWait();
            double[][] pair = pairedWithBm25(index, queries.stream().map(q -> q.toUpperCase(Locale.ROOT)).toList());
            double[] lateBm25 = pair[0];
            double[] late = pair[1];
            double[] lateWaitAfter = queryVectorWait();
            if (lateWaitAfter[0] > lateWaitBefore[0]) {
                double waitMs = (lateWaitAfter[1] - lateWaitBefore[1]) / (lateWaitAfter[0] - lateWaitBefore[0]) / 1000;
                log("  %s (b0): shard windows waited %.2f ms on average for their query vector (node stats)", index, waitMs);
                ratios.put(index + " (b0) server-side wait for the query vector, mean ms per shard window (not a ratio)", waitMs);
            }
            record(index, "(a) BM25 only, paired with (b0)", lateBm25);
            record(index, "(b0) as (b), query embedding started by the shard request (fair_rescore.inference.prefetch: false)", late);
            ratios.put(index + " (b0)/(a) p50 (no early start, against its paired BM25 run)", percentile(late, 50) / percentile(lateBm25, 50));
        } finally {
            http.expect("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.inference.prefetch\":null}}");
        }

        // (e): (c) with the per-shop cap on, to show what the quota step costs beside the vectors; paired with its own
        // BM25 run (alternating which goes first), since it runs after the main loop on warmer caches
        http.expect("PUT", "/" + index + "/_settings", "{\"index.fair_rescore.max_per_shop\": 3}");
        try {
            double[][] pair = pairedWithBm25(index, queries);
            double[] cappedBm25 = pair[0];
            double[] capped = pair[1];
            record(index, "(a) BM25 only, paired with (e)", cappedBm25);
            record(index, "(e) as (c), with the per-shop cap on (max 3 per 10)", capped);
            ratios.put(index + " (e)/(a) p50 (cap quota on, against its paired BM25 run)", percentile(capped, 50) / percentile(cappedBm25, 50));
        } finally {
            http.expect("PUT", "/" + index + "/_settings", "{\"index.fair_rescore.max_per_shop\": 0}");
        }

        // (d): the same index read as if it had no vectors, the node's document cache off, query vectors cached
        int nd = Math.min(intOpt("otf-queries"), queries.size());
        http.expect("PUT", "/" + index + "/_settings", "{\"index.fair_rescore.vector_field\": \"\"}");
        http.expect("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.documents.size\":\"0b\"}}");
        try {
            checkExplain(index, queries.get(0), "embedded on the fly");
            double[] otf = time(index, queries.subList(0, nd), true);
            record(index, "(d) fair_semantic, on-the-fly embedding (no cache), cached query texts", otf);
            double p50a = percentile(bm25, 50);
            ratios.put(index + " (b)/(a) p50, goal <= 1.25", percentile(fresh, 50) / p50a);
            ratios.put(index + " (c)/(a) p50, goal <= 1.05", percentile(cached, 50) / p50a);
            ratios.put(index + " (d)/(a) p50", percentile(otf, 50) / p50a);
            ratios.put(index + " (b)/(a') p50: against the same window without vectors", percentile(fresh, 50) / percentile(windowOnly, 50));
            ratios.put(index + " (c)/(a') p50: against the same window without vectors", percentile(cached, 50) / percentile(windowOnly, 50));
            ratios.put(index + " (b)/(a) p95", percentile(fresh, 95) / percentile(bm25, 95));
            ratios.put(index + " (c)/(a) p95", percentile(cached, 95) / percentile(bm25, 95));
        } finally {
            http.expect("PUT", "/" + index + "/_settings", "{\"index.fair_rescore.vector_field\": \"title_vector\"}");
            http.expect("PUT", "/_cluster/settings", "{\"transient\":{\"fair_rescore.cache.documents.size\":null}}");
        }
    }

    /** The 40 orders of the runs (a)=0, (a')=1, (b)=2, (c)=3, (c')=4 in which (b) comes before (c) and (c'). */
    static final int[][] RUN_ORDERS = runOrders();

    static int[][] runOrders() {
        List<int[]> orders = new ArrayList<>();
        permute(new int[] { 0, 1, 2, 3, 4 }, 0, orders);
        List<int[]> kept = new ArrayList<>();
        for (int[] order : orders) {
            int b = indexOf(order, 2);
            if (b < indexOf(order, 3) && b < indexOf(order, 4)) {
                kept.add(order);
            }
        }
        kept.sort(Arrays::compare);
        return kept.toArray(int[][]::new);
    }

    private static void permute(int[] a, int k, List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            int t = a[k]; a[k] = a[i]; a[i] = t;
            permute(a, k + 1, out);
            t = a[k]; a[k] = a[i]; a[i] = t;
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code pair-rounds} rounds over {@code queries}, each query searched (rescored) on {@code a} and on {@code b} one
     * right after the other, which goes first alternating by query and round: {a latencies, b latencies}, pair by pair.
     */
    private double[][] pairedRounds(String a, String b, List<String> queries) throws IOException {
        int rounds = intOpt("pair-rounds");
        double[] x = new double[rounds * queries.size()];
        double[] y = new double[x.length];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < queries.size(); i++) {
                List<String> one = List.of(queries.get(i));
                int k = round * queries.size() + i;
                if ((i + round) % 2 == 0) {
                    x[k] = time(a, one, true)[0];
                    y[k] = time(b, one, true)[0];
                } else {
                    y[k] = time(b, one, true)[0];
                    x[k] = time(a, one, true)[0];
                }
            }
        }
        return new double[][] { x, y };
    }

    /** p50 of b minus p50 of a, and the median of the pairs' differences b - a with its 95 % bootstrap interval. */
    private void pairedRatios(String index, String what, double[][] pairs) {
        double[] d = differences(pairs[1], pairs[0]);
        double[] ci = bootstrapMedianCi(d, Long.parseLong(opts.get("seed")));
        ratios.put(index + " " + what + ": p50 difference, ms", percentile(pairs[1], 50) - percentile(pairs[0], 50));
        ratios.put(index + " " + what + ": p50 ratio", percentile(pairs[1], 50) / percentile(pairs[0], 50));
        ratios.put(index + " " + what + ": median of the " + d.length + " pairs' differences, ms", percentile(d, 50));
        ratios.put(index + " " + what + ": that median's 95 % bootstrap interval, low, ms", ci[0]);
        ratios.put(index + " " + what + ": that median's 95 % bootstrap interval, high, ms", ci[1]);
        log("  %s %s: p50 %.3f vs %.3f ms (difference %.3f ms, ratio %.3f); median of the %d pairs' differences %.3f ms (95 %% "
                + "bootstrap interval %.3f to %.3f)", index, what, percentile(pairs[1], 50), percentile(pairs[0], 50),
            percentile(pairs[1], 50) - percentile(pairs[0], 50), percentile(pairs[1], 50) / percentile(pairs[0], 50), d.length,
            percentile(d, 50), ci[0], ci[1]);
    }

    /** x[i] - y[i]: per-query differences of two runs interleaved query by query. */
    static double[] differences(double[] x, double[] y) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
        }
        return d;
    }

    /** A 95 % percentile-bootstrap interval of the median of {@code values} (2,000 resamples, seeded). */
    static double[] bootstrapMedianCi(double[] values, long seed) {
        Random r = new Random(seed);
        double[] medians = new double[2000];
        double[] sample = new double[values.length];
        for (int b = 0; b < medians.length; b++) {
            for (int i = 0; i < values.length; i++) {
                sample[i] = values[r.nextInt(values.length)];
            }
            medians[b] = percentile(sample, 50);
        }
        return new double[] { percentile(medians, 2.5), percentile(medians, 97.5) };
    }

    /** The node's exposure stats (one node). */
    private JsonNode exposureStats() throws IOException {
        JsonNode nodes = http.expect("GET", "/_plugins/_fair_rescore/stats", null).json().path("nodes");
        return nodes.elements().hasNext() ? nodes.elements().next().path("exposure") : JSON.createObjectNode();
    }

    /**
     * Turns the twin's exposure mode to amortized and fills its ledger as a marketplace's would be after a while: the
     * {@code ledger-shops} shops of a long tail reported through {@code _feedback} (an impression each, a click for
     * every third, with {@code exposure.source: feedback} for that moment), then the warm-up queries searched twice
     * (served exposure and window merit of the catalog's shops). A GET then syncs, so the view the rescorer reads holds
     * them all. Returns the shops in the view.
     */
    private int populateLedger(String twin, List<String> warmQueries) throws IOException {
        http.expect("PUT", "/" + twin + "/_settings",
            "{\"index.fair_rescore.exposure.mode\": \"amortized\", \"index.fair_rescore.exposure.source\": \"feedback\"}");
        int shops = intOpt("ledger-shops");
        for (int from = 0; from < shops; from += 1000) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = from; i < Math.min(shops, from + 1000); i++) {
                String shop = String.format(Locale.ROOT, "\"tail-%05d\"", i);
                ndjson.append("{\"impression\": {\"shop\": ").append(shop).append(", \"rank\": ").append(1 + i % 10).append("}}\n");
                if (i % 3 == 0) {
                    ndjson.append("{\"click\": {\"shop\": ").append(shop).append(", \"rank\": ").append(1 + i % 10).append("}}\n");
                }
            }
            JsonNode answer = http.expectNdjson("/_plugins/_fair_rescore/exposure/" + twin + "/_feedback", ndjson.toString()).json();
            if (answer.path("errors").asBoolean(true)) {
                throw new IllegalStateException("feedback into " + twin + " had errors: " + truncate(answer.toString()));
            }
        }
        http.expect("PUT", "/" + twin + "/_settings", "{\"index.fair_rescore.exposure.source\": \"served\"}");
        time(twin, warmQueries, true);
        time(twin, warmQueries, true);
        JsonNode ledger = http.expect("GET", "/_plugins/_fair_rescore/exposure/" + twin + "?size=0", null).json();
        int inView = ledger.path("totals").path("shops").asInt();
        log("  %s: exposure mode amortized (strength %s, target %s), ledger filled: %d shops (%d with merit), exposure %.1f, merit %.1f",
            twin, ledger.path("settings").path("strength").asText(), ledger.path("settings").path("target").asText(), inView,
            ledger.path("totals").path("shops_with_merit").asInt(), ledger.path("totals").path("exposure").asDouble(),
            ledger.path("totals").path("merit").asDouble());
        if (inView < shops) {
            throw new IllegalStateException(twin + "'s exposure view holds " + inView + " shops, expected at least " + shops);
        }
        return inView;
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
