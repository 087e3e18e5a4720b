package org.fairrescore.demo;

import com.fasterxml.jackson.databind.JsonNode;

import org.fairrescore.reliability.Http;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo: loads a generated marketplace catalog into a running node and shows, for a few queries, the BM25 top 10
 * next to the {@code fair_semantic} top 10.
 *
 * <pre>
 * Demo [BASE_URL] [--seed N] [--products N] [--query TEXT]... [--keep-index]
 * </pre>
 * BASE_URL defaults to {@code http://127.0.0.1:$FR_HTTP_PORT} (port 9200 when unset).
 */
public final class Demo {

    static final List<String> DEFAULT_QUERIES = List.of("running shoes", "laptop bag", "wireless headphones");
    static final String PLUGIN = "fair-rescore";

    /** Parsed command line. */
    record Options(String baseUrl, long seed, int products, List<String> queries, boolean keepIndex) {

        static Options parse(String[] args, Map<String, String> env) {
            String port = env.getOrDefault("FR_HTTP_PORT", "9200");
            String baseUrl = "http://127.0.0.1:" + port;
            long seed = CatalogGenerator.DEFAULT_SEED;
            int products = CatalogGenerator.DEFAULT_PRODUCTS;
            List<String> queries = new ArrayList<>();
            boolean keepIndex = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--products" -> products = Integer.parseInt(value(args, ++i, a));
                    case "--query" -> queries.add(value(args, ++i, a));
                    case "--keep-index" -> keepIndex = true;
                    default -> {
                        if (a.startsWith("http://") || a.startsWith("https://")) {
                            baseUrl = a;
                        } else {
                            throw new IllegalArgumentException("unknown argument \"" + a + "\"; usage: Demo [BASE_URL] "
                                + "[--seed N] [--products N] [--query TEXT]... [--keep-index]");
                        }
                    }
                }
            }
            return new Options(baseUrl, seed, products, queries.isEmpty() ? DEFAULT_QUERIES : List.copyOf(queries),
                keepIndex);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Http client;

    Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.client = new Http(options.baseUrl());
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        try {
            new Demo(Options.parse(args, System.getenv()), out).run();
        } catch (RuntimeException e) {
            out.flush();
            System.err.println("demo failed: " + e.getMessage());
            System.exit(1);
        }
    }

    void run() {
        out.println("fair-rescore demo against " + client.base());
        checkNode();

        Catalog catalog = new CatalogGenerator(options.seed(), options.products()).generate();
        describe(catalog);

        DemoIndex index = new DemoIndex(client);
        if (options.keepIndex() && indexHolds(index, catalog)) {
            out.println("Index " + index.name() + " already holds the catalog (--keep-index): not reloading.");
        } else {
            boolean existed = index.deleteIfPresent();
            long start = System.nanoTime();
            index.create(catalog);
            int requests = index.load(catalog.products());
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "%s index %s; ingested %d products in %d bulk requests of up to %d + refresh, "
                    + "vectors embedded once by the fair_rescore_embed ingest processor: %.1f s (%.0f docs/s)%n", existed ? "Recreated" : "Created", index.name(),
                catalog.products().size(), requests, DemoIndex.BATCH_SIZE, seconds, catalog.products().size() / seconds);
        }

        // The first rescore in a fresh node loads the model's session; keep that out of the timings.
        index.search(DemoIndex.fairRequest(options.queries().get(0)));
        out.println();
        out.println("Legend: + exact match  ~ partial match  - off-target (shares the query's words, not its meaning);");
        out.println("        bm25# = where the rescored hit was in the BM25 order. Timings after one untimed warm-up search.");
        for (String query : options.queries()) {
            DemoIndex.Result bm25 = index.search(DemoIndex.bm25Request(query, 10));
            DemoIndex.Result fair = index.search(DemoIndex.fairRequest(query));
            List<String> window = index.search(DemoIndex.bm25Request(query, DemoIndex.WINDOW)).hits().stream()
                .map(DemoIndex.Hit::id).toList();
            out.println();
            out.print(SideBySide.render(query, bm25, fair, catalog.hasQuery(query) ? catalog.query(query) : null,
                window));
        }

        out.println();
        List<String> more = catalog.queries().stream().map(DemoQuery::text).filter(q -> !options.queries().contains(q))
            .toList();
        if (!more.isEmpty()) {
            out.println("More judged queries: " + String.join(", ", more) + " (add --query \"...\"; --keep-index skips "
                + "reloading).");
        }
        out.println("The node keeps running. Query it yourself, e.g.:");
        out.println(curlExample(client.base(), index.name(), options.queries().get(0)));
        out.println("Stop it with: integration-test/node.sh stop");
    }

    private void checkNode() {
        JsonNode info = client.expect("GET", "/", null).json();
        JsonNode plugins = client.expect("GET", "/_cat/plugins?format=json", null).json();
        List<String> installed = new ArrayList<>();
        String version = null;
        for (JsonNode p : plugins) {
            installed.add(p.path("component").asText());
            if (PLUGIN.equals(p.path("component").asText())) {
                version = p.path("version").asText();
            }
        }
        if (version == null) {
            throw new IllegalStateException("the node at " + client.base() + " has no " + PLUGIN + " plugin (installed: "
                + installed + "); install it with integration-test/node.sh install target/fair-rescore-*.zip");
        }
        client.expect("GET", "/_cluster/health?wait_for_status=yellow&timeout=30s", null);
        out.printf(Locale.ROOT, "OpenSearch %s, plugin %s %s%n", info.path("version").path("number").asText("?"), PLUGIN,
            version);
    }

    private void describe(Catalog catalog) {
        List<Shop> shops = catalog.shops();
        int[] sizes = shops.stream().mapToInt(Shop::size).sorted().toArray();
        out.printf(Locale.ROOT, "Catalog: %d products from %d shops (seed %d); biggest %s %d, %s %d, %s %d; median shop %d%n",
            catalog.products().size(), shops.size(), catalog.seed(), shops.get(0).name(), shops.get(0).size(),
            shops.get(1).name(), shops.get(1).size(), shops.get(2).name(), shops.get(2).size(), sizes[sizes.length / 2]);
    }

    /** Whether the index was loaded from this very catalog (seed and size in the mapping's _meta) and is complete. */
    private boolean indexHolds(DemoIndex index, Catalog catalog) {
        Http.Reply mapping = client.expect("GET", "/" + index.name() + "/_mapping", null, 200, 404);
        if (mapping.status() != 200) {
            return false;
        }
        JsonNode meta = mapping.json().path(index.name()).path("mappings").path("_meta");
        long count = client.expect("GET", "/" + index.name() + "/_count", null).json().path("count").asLong(-1);
        return meta.path("seed").asLong(Long.MIN_VALUE) == catalog.seed()
            && meta.path("products").asInt(-1) == catalog.products().size() && count == catalog.products().size();
    }

    static String curlExample(String baseUrl, String index, String query) {
        String body = Http.toJson(DemoIndex.fairRequest(query));
        return "  curl -s -H 'Content-Type: application/json' '" + baseUrl + "/" + index + "/_search?pretty' -d '"
            + body.replace("'", "'\\''") + "'";
    }
}
