package org.fairrescore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fairrescore.reliability.Http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The saturation benchmark against a real node (see README.md in this folder): closed-loop clients (each sends its
 * next search as soon as the last one is answered) at several client counts, on one and three shards, for BM25 alone,
 * {@code fair_semantic} with stored vectors, the same with the per-shop cap and the same with the coordinator's
 * {@code fair_rescore} search pipeline. Every phase runs the same stream of query texts: real queries drawn Zipf-like,
 * mixed with a share of texts the node has never seen (recombined from real query words, each used once). Reports
 * searches/s, latency percentiles, the node's CPU seconds per search (from /proc) and the query-cache hit ratio. Not a
 * test: nothing is asserted beyond the sanity checks that the measured path is the intended one.
 */
public final class SaturateBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PIPELINE = "bench-embed";
    private static final String SEARCH_PIPELINE = "bench-fair";

    /** What a search does. */
    enum Config {
        BM25("BM25"),
        FAIR("fair_semantic"),
        CAP("fair_semantic + cap"),
        PIPELINE("fair_semantic + cap + pipeline");

        final String label;

        Config(String label) {
            this.label = label;
        }
    }

    record Row(int shards, int clients, Config config, int searches, double qps, double p50, double p99, double cpuMs, double hitRatio,
        double loadsPerSearch, double seconds) {}

    private final Map<String, String> opts;
    private final Http http;
    private final List<Row> rows = new ArrayList<>();
    private Set<String> realSet = Set.of();
    private int phases;
    private double idleCpuMsPerS;

    private SaturateBench(Map<String, String> opts) {
        this.opts = opts;
        this.http = new Http(opts.get("url"), Duration.ofMinutes(10));
    }

    private int intOpt(String name) {
        return Integer.parseInt(opts.get(name));
    }

    private static int[] intList(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("url", "http://127.0.0.1:9200");
        opts.put("pid", "");
        opts.put("clock-ticks", "100");
        opts.put("esci", "../shared/data/esci/esci_us_queryset.json");
        opts.put("wands", "../shared/data/wands/query.tsv");
        opts.put("docs", "50000");
        opts.put("clients", "1,2,4,8,16");
        opts.put("shards", "1,3");
        opts.put("searches", "2000");
        opts.put("warmup-searches", "300");
        opts.put("new-share", "0.35");
        opts.put("zipf", "1.0");
        opts.put("bulk", "250");
        opts.put("window", "100");
        opts.put("seed", "42");
        opts.put("model", ""); // checked against the node's default model (bench.sh starts the node with it)
        opts.put("inference-threads", "1"); // checked against the node's intra-op threads (bench.sh starts the node with them)
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") == false || i + 1 >= args.length || opts.containsKey(args[i].substring(2)) == false) {
                throw new IllegalArgumentException("usage: SaturateBench [--name value]..., names: " + opts.keySet() + "; got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        new SaturateBench(opts).run();
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[saturate] " + format + "%n", args);
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }

    // ---- the query stream ---------------------------------------------------------------------------------------

    /**
     * {@code n} query texts: with probability {@code newShare} a text nobody sent before (the first words of one real
     * query and the last words of another, 2 to 4 words, unique over {@code seen}), else a real query drawn with
     * probability proportional to 1 / rank^zipf (ranks in a seeded shuffle of the real queries).
     */
    static List<String> stream(List<String> real, int n, double newShare, double zipf, Random r, Set<String> seen) {
        List<String> ranked = new ArrayList<>(real);
        Collections.shuffle(ranked, new Random(7)); // the same popularity order for every stream
        double[] cumulative = new double[ranked.size()];
        double sum = 0;
        for (int k = 0; k < ranked.size(); k++) {
            sum += 1 / Math.pow(k + 1, zipf);
            cumulative[k] = sum;
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() < newShare) {
                String text;
                int tries = 0;
                do {
                    String[] a = real.get(r.nextInt(real.size())).split("\\s+");
                    String[] b = real.get(r.nextInt(real.size())).split("\\s+");
                    int fromA = 1 + r.nextInt(Math.min(2, a.length));
                    int fromB = 1 + r.nextInt(Math.min(2, b.length));
                    StringBuilder t = new StringBuilder();
                    for (int w = 0; w < fromA; w++) {
                        t.append(w == 0 ? "" : " ").append(a[w]);
                    }
                    for (int w = b.length - fromB; w < b.length; w++) {
                        t.append(' ').append(b[w]);
                    }
                    text = t.toString().toLowerCase(Locale.ROOT);
                    if (++tries > 1000) {
                        throw new IllegalStateException("cannot build another new query text after " + seen.size());
                    }
                } while (seen.contains(text) || text.chars().filter(Character::isLetter).count() < 8);
                seen.add(text);
                out.add(text);
            } else {
                double u = r.nextDouble() * sum;
                int k = Arrays.binarySearch(cumulative, u);
                out.add(ranked.get(Math.min(ranked.size() - 1, k >= 0 ? k : -k - 1)));
            }
        }
        return out;
    }

    /**
     * The stream as phase {@code phase} (1..63) sends it: each new text (one not among {@code real}) with the case of
     * its first six letters flipped where the bits of {@code phase} say. The model's tokenizer and the BM25 analyzer
     * lowercase, so every phase sends the same tokens (the same hits, the same inference work), while the node's query
     * cache, keyed by the text, has never seen the variant: no phase finds the new texts of an earlier one cached.
     */
    static List<String> variant(List<String> stream, Set<String> real, int phase) {
        if (phase < 1 || phase > 63) {
            throw new IllegalArgumentException("phase " + phase + " is outside 1..63 (too many phases)");
        }
        List<String> out = new ArrayList<>(stream.size());
        for (String text : stream) {
            if (real.contains(text)) {
                out.add(text);
                continue;
            }
            StringBuilder v = new StringBuilder(text);
            for (int i = 0, letter = 0; i < v.length() && letter < 6; i++) {
                if (Character.isLetter(v.charAt(i))) {
                    if ((phase >> letter & 1) == 1) {
                        v.setCharAt(i, Character.toUpperCase(v.charAt(i)));
                    }
                    letter++;
                }
            }
            out.add(v.toString());
        }
        return out;
    }

    // ---- setup ------------------------------------------------------------------------------------------------------

    private void createIndex(String name) throws IOException {
        ObjectNode settings = JSON.createObjectNode();
        settings.put("index.number_of_shards", 1);
        settings.put("index.number_of_replicas", 0);
        settings.put("index.number_of_routing_shards", 3);
        settings.put("index.refresh_interval", "30s");
        settings.putArray("index.fair_rescore.text_fields").add("title");
        settings.put("index.fair_rescore.vector_field", "title_vector");
        settings.put("index.fair_rescore.shop_field", "shop");
        settings.put("index.fair_rescore.max_per_shop", 0);
        settings.put("index.fair_rescore.cap_window", 10);
        String body = "{\"settings\":" + settings + ",\"mappings\":{\"properties\":{"
            + "\"title\":{\"type\":\"text\"},\"shop\":{\"type\":\"keyword\"},\"price\":{\"type\":\"float\"},"
            + "\"title_vector\":{\"type\":\"fair_rescore_vector\",\"dims\":384}}}}";
        http.expect("PUT", "/" + name, body);
        http.expect("GET", "/_cluster/health/" + name + "?wait_for_status=green&timeout=60s", null);
    }

    private void ingest(String index, List<Catalog.Product> products) {
        int bulk = intOpt("bulk");
        long t0 = System.nanoTime();
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
            JsonNode response = http.expectNdjson("/" + index + "/_bulk?pipeline=" + PIPELINE, body.toString()).json();
            if (response.path("errors").asBoolean(true)) {
                throw new IllegalStateException("bulk into " + index + " had errors: " + truncate(response.toString()));
            }
            long now = System.nanoTime();
            if (now - lastLog > 30e9) {
                log("  %s: %d / %d docs", index, from + bulk, products.size());
                lastLog = now;
            }
        }
        http.expect("POST", "/" + index + "/_refresh", null);
        http.expect("POST", "/" + index + "/_forcemerge?max_num_segments=1", null);
        log("ingested %d docs into %s through the embed processor in %.1f s", products.size(), index, (System.nanoTime() - t0) / 1e9);
    }

    private void split(String from, String to, int shards) {
        http.expect("PUT", "/" + from + "/_settings", "{\"index.blocks.write\": true}");
        http.expect("POST", "/" + from + "/_split/" + to + "?wait_for_active_shards=all",
            "{\"settings\":{\"index.number_of_shards\":" + shards + ",\"index.number_of_replicas\":0,\"index.blocks.write\":null}}");
        http.expect("GET", "/_cluster/health/" + to + "?wait_for_status=green&timeout=120s", null);
        http.expect("POST", "/" + to + "/_forcemerge?max_num_segments=1", null);
        http.expect("PUT", "/" + from + "/_settings", "{\"index.blocks.write\": null}");
    }

    // ---- measuring --------------------------------------------------------------------------------------------------

    private String body(String query, Config config) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 10);
        body.putObject("_source").putArray("excludes").add("title_vector");
        body.putObject("query").putObject("match").put("title", query);
        if (config != Config.BM25) {
            ObjectNode rescore = body.putObject("rescore");
            rescore.put("window_size", intOpt("window"));
            rescore.putObject("fair_semantic").put("query_text", query);
        }
        return body.toString();
    }

    /** utime + stime of the node process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", opts.get("pid"), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The node's query cache {hits, misses, loads} and the pipeline's quota windows, summed over nodes. */
    private long[] stats() {
        JsonNode nodes = http.expect("GET", "/_plugins/_fair_rescore/stats", null).json().path("nodes");
        long[] s = new long[4];
        for (JsonNode node : nodes) {
            s[0] += node.path("query_cache").path("hit_count").asLong();
            s[1] += node.path("query_cache").path("miss_count").asLong();
            s[3] += node.path("query_cache").path("load_count").asLong();
            for (JsonNode mode : node.path("quota").path("pipeline")) {
                s[2] += mode.path("windows").asLong();
            }
        }
        return s;
    }

    /** Runs {@code texts} with {@code clients} closed-loop clients; latencies in ms by position, and the wall seconds. */
    private double[] closedLoop(String index, List<String> texts, Config config, int clients, double[] ms) throws InterruptedException {
        String path = "/" + index + "/_search" + (config == Config.PIPELINE ? "?search_pipeline=" + SEARCH_PIPELINE : "");
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < texts.size() && failure.get() == null; i = next.getAndIncrement()) {
                        String body = body(texts.get(i), config);
                        long s = System.nanoTime();
                        Http.Reply r = http.expect("POST", path, body, 200);
                        ms[i] = (System.nanoTime() - s) / 1e6;
                        if (r.json().path("_shards").path("failed").asInt(-1) != 0) {
                            throw new IllegalStateException("search on " + index + " failed: " + truncate(r.raw()));
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(config.label + " with " + clients + " clients on " + index + " failed", failure.get());
        }
        return new double[] { (System.nanoTime() - t0) / 1e9 };
    }

    private Row phase(String index, int shards, int clients, Config config, List<String> warmStream, List<String> measuredStream)
        throws Exception {
        http.expect("PUT", "/" + index + "/_settings",
            "{\"index.fair_rescore.max_per_shop\": " + (config == Config.CAP || config == Config.PIPELINE ? 3 : 0) + "}");
        int phase = ++phases;
        List<String> warm = variant(warmStream, realSet, phase);
        List<String> measured = variant(measuredStream, realSet, phase);
        closedLoop(index, warm, config, clients, new double[warm.size()]);
        double clk = Double.parseDouble(opts.get("clock-ticks"));
        long[] before = stats();
        long cpu0 = cpuTicks();
        double[] ms = new double[measured.size()];
        double seconds = closedLoop(index, measured, config, clients, ms)[0];
        long cpu1 = cpuTicks();
        long[] after = stats();
        long hits = after[0] - before[0];
        long lookups = hits + after[1] - before[1];
        if (config == Config.PIPELINE && after[2] == before[2]) {
            log("  warning: the search pipeline reordered no window");
        }
        Row row = new Row(shards, clients, config, measured.size(), measured.size() / seconds, VectorBench.percentile(ms, 50),
            VectorBench.percentile(ms, 99), (cpu1 - cpu0) / clk * 1000 / measured.size(), lookups == 0 ? Double.NaN : (double) hits / lookups,
            (double) (after[3] - before[3]) / measured.size(), seconds);
        log("  %d shard(s), %2d clients, %-32s %7.1f searches/s, p50 %6.2f ms, p99 %7.2f ms, node CPU %.2f ms/search, query cache hits %s, %.3f inferences/search",
            shards, clients, config.label, row.qps(), row.p50(), row.p99(), row.cpuMs(), hitText(row.hitRatio()), row.loadsPerSearch());
        return row;
    }

    private static String hitText(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.3f", ratio);
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        JsonNode root = http.expect("GET", "/", null).json();
        log("node %s, OpenSearch %s, pid %s, options %s", root.path("name").asText(), root.path("version").path("number").asText(),
            opts.get("pid"), opts);
        cpuTicks(); // the pid is readable
        for (JsonNode node : http.expect("GET", "/_plugins/_fair_rescore/stats", null).json().path("nodes")) {
            JsonNode model = node.path("model");
            log("node model %s, %s intra-op thread(s)", model.path("id").asText(), model.path("intra_op_threads").asText());
            if (opts.get("model").isEmpty() == false && opts.get("model").equals(model.path("id").asText()) == false
                || opts.get("inference-threads").equals(model.path("intra_op_threads").asText()) == false) {
                throw new IllegalStateException("the node runs model " + model + ", not " + opts.get("model") + " with "
                    + opts.get("inference-threads") + " thread(s)");
            }
            opts.put("model", model.path("id").asText());
        }

        List<String> real = Queries.unique(Queries.esci(Path.of(opts.get("esci"))), Queries.wands(Path.of(opts.get("wands"))));
        long seed = Long.parseLong(opts.get("seed"));
        realSet = new HashSet<>(real);
        Set<String> seen = new HashSet<>();
        real.forEach(q -> seen.add(q.toLowerCase(Locale.ROOT)));
        double newShare = Double.parseDouble(opts.get("new-share"));
        double zipf = Double.parseDouble(opts.get("zipf"));
        List<String> measured = stream(real, intOpt("searches"), newShare, zipf, new Random(seed + 10), seen);
        List<String> warm = stream(real, intOpt("warmup-searches"), newShare, zipf, new Random(seed + 11), seen);
        long fresh = measured.stream().filter(q -> realSet.contains(q) == false).count();
        long distinct = measured.stream().distinct().count();
        log("%d real queries; stream of %d searches: %d (%.1f %%) new texts, %d distinct texts; warm-up stream of %d searches",
            real.size(), measured.size(), fresh, 100.0 * fresh / measured.size(), distinct, warm.size());
        log("a few new texts: %s", measured.stream().filter(q -> realSet.contains(q) == false).limit(6).toList());

        http.expect("PUT", "/_ingest/pipeline/" + PIPELINE,
            "{\"processors\":[{\"fair_rescore_embed\":{\"field_map\":{\"title\":\"title_vector\"},\"batch_size\":64}}]}");
        http.expect("PUT", "/_search/pipeline/" + SEARCH_PIPELINE,
            "{\"request_processors\":[{\"fair_rescore\":{\"oversample\":3}}],\"response_processors\":[{\"fair_rescore\":{}}]}");
        int[] shardCounts = intList(opts.get("shards"));
        int[] clientCounts = intList(opts.get("clients"));
        for (int s : shardCounts) {
            http.expect("DELETE", "/sat-" + s, null, 200, 404);
        }
        List<Catalog.Product> products = Catalog.generate(intOpt("docs"), real, 300, seed);
        createIndex("sat-1");
        ingest("sat-1", products);
        for (int s : shardCounts) {
            if (s != 1) {
                split("sat-1", "sat-" + s, s);
            }
        }
        // the node has seen every real query once (their vectors cached, as a node in service has its popular queries
        // cached); the new texts of the streams it has never seen
        for (int pass = 1;; pass++) {
            long[] before = stats();
            closedLoop("sat-1", real, Config.FAIR, 2, new double[real.size()]);
            long[] after = stats();
            double ratio = (double) (after[0] - before[0]) / Math.max(1, after[0] - before[0] + after[1] - before[1]);
            log("pass %d over the real queries: query-cache hit ratio %.3f", pass, ratio);
            if (pass > 1 && ratio >= 0.99 || pass == 4) {
                break;
            }
        }
        long idle0 = cpuTicks();
        long idleStart = System.nanoTime();
        Thread.sleep(3000);
        idleCpuMsPerS = (cpuTicks() - idle0) / Double.parseDouble(opts.get("clock-ticks")) * 1000 / ((System.nanoTime() - idleStart) / 1e9);
        log("idle node: %.1f ms CPU per second", idleCpuMsPerS);
        for (int s : shardCounts) {
            String index = "sat-" + s;
            String explain = http.expect("POST", "/" + index + "/_search",
                body(real.get(0), Config.FAIR).replaceFirst("^\\{", "{\"explain\":true,")).raw();
            if (explain.contains("vector stored in [title_vector]") == false) {
                throw new IllegalStateException("explain on " + index + " does not read stored vectors: " + truncate(explain));
            }
            // one pass of each configuration, so that no measured phase is the first of its kind
            for (Config config : Config.values()) {
                closedLoop(index, variant(warm, realSet, ++phases), config, 2, new double[warm.size()]);
            }
            for (int clients : clientCounts) {
                for (Config config : Config.values()) {
                    rows.add(phase(index, s, clients, config, warm, measured));
                }
            }
            http.expect("PUT", "/" + index + "/_settings", "{\"index.fair_rescore.max_per_shop\": 0}");
        }

        // ---- report ----------------------------------------------------------------------------------------------
        System.out.println();
        System.out.printf(Locale.ROOT, "%d docs; %d searches per phase (%.1f %% new texts, %d distinct), %d warm-up searches; "
            + "window %s; the node saw every real query once before (query vectors cached), never the new texts; "
            + "the clients run on the same machine as the node; the idle node used %.1f ms CPU per second "
            + "(counted in node CPU per search); model %s, %s intra-op thread(s)%n%n", products.size(), measured.size(), 100.0 * fresh / measured.size(),
            distinct, warm.size(), opts.get("window"), idleCpuMsPerS, opts.get("model"), opts.get("inference-threads"));
        System.out.println("| shards | clients | configuration | searches/s | p50 ms | p99 ms | node CPU ms/search | query-cache hit ratio | query inferences/search |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %d | %d | %s | %.1f | %.2f | %.2f | %.2f | %s | %.3f |%n", r.shards(), r.clients(),
                r.config().label, r.qps(), r.p50(), r.p99(), r.cpuMs(), hitText(r.hitRatio()), r.loadsPerSearch());
        }
        System.out.println();
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (int s : shardCounts) {
            Map<Config, Row> sat = new LinkedHashMap<>();
            for (Config c : Config.values()) {
                rows.stream().filter(r -> r.shards() == s && r.config() == c).max((a, b) -> Double.compare(a.qps(), b.qps()))
                    .ifPresent(r -> sat.put(c, r));
            }
            System.out.printf(Locale.ROOT, "%d shard(s), saturating client counts (most searches/s): %s%n", s,
                sat.values().stream().map(r -> r.config().label + " " + r.clients()).toList());
            String p = s + " shard(s): ";
            ratios.put(p + "saturated QPS fair_semantic/BM25, goal >= 0.75", sat.get(Config.FAIR).qps() / sat.get(Config.BM25).qps());
            ratios.put(p + "CPU per search fair_semantic/BM25, goal <= 1.4", sat.get(Config.FAIR).cpuMs() / sat.get(Config.BM25).cpuMs());
            ratios.put(p + "saturated QPS cap/fair_semantic, goal >= 0.95", sat.get(Config.CAP).qps() / sat.get(Config.FAIR).qps());
            ratios.put(p + "CPU per search cap/fair_semantic, goal <= 1.05", sat.get(Config.CAP).cpuMs() / sat.get(Config.FAIR).cpuMs());
            ratios.put(p + "saturated QPS cap + pipeline/fair_semantic", sat.get(Config.PIPELINE).qps() / sat.get(Config.FAIR).qps());
            ratios.put(p + "CPU per search cap + pipeline/fair_semantic", sat.get(Config.PIPELINE).cpuMs() / sat.get(Config.FAIR).cpuMs());
            Row bm1 = one(s, clientCounts[0], Config.BM25);
            Row fs1 = one(s, clientCounts[0], Config.FAIR);
            ratios.put(p + clientCounts[0] + " client(s): QPS fair_semantic/BM25", fs1.qps() / bm1.qps());
            ratios.put(p + clientCounts[0] + " client(s): p50 fair_semantic/BM25", fs1.p50() / bm1.p50());
            ratios.put(p + clientCounts[0] + " client(s): CPU per search fair_semantic/BM25", fs1.cpuMs() / bm1.cpuMs());
            if (s == 1) {
                System.out.println();
                System.out.printf(Locale.ROOT, "saturated QPS fair_semantic/BM25 = %.3f%n", ratios.get(p + "saturated QPS fair_semantic/BM25, goal >= 0.75"));
                System.out.printf(Locale.ROOT, "CPU per search fair_semantic/BM25 = %.3f%n", ratios.get(p + "CPU per search fair_semantic/BM25, goal <= 1.4"));
                System.out.printf(Locale.ROOT, "saturated QPS cap/fair_semantic = %.3f%n", ratios.get(p + "saturated QPS cap/fair_semantic, goal >= 0.95"));
                System.out.printf(Locale.ROOT, "CPU per search cap/fair_semantic = %.3f%n", ratios.get(p + "CPU per search cap/fair_semantic, goal <= 1.05"));
                System.out.println();
            }
        }
        System.out.println("| ratio | value |");
        System.out.println("|---|---|");
        for (Map.Entry<String, Double> e : ratios.entrySet()) {
            System.out.printf(Locale.ROOT, "| %s | %.3f |%n", e.getKey(), e.getValue());
        }
        System.out.printf(Locale.ROOT, "%nbenchmark wall time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private Row one(int shards, int clients, Config config) {
        return rows.stream().filter(r -> r.shards() == shards && r.clients() == clients && r.config() == config).findFirst().orElseThrow();
    }
}
