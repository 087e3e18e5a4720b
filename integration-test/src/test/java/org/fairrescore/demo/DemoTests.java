package org.fairrescore.demo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.fairrescore.reliability.Http;
import org.junit.Test;

/** The demo's REST code and output against {@link FakeNode}. */
public class DemoTests {

    private static final Catalog CATALOG = CatalogGenerator.defaultCatalog();

    /**
     * A fake that behaves like a node with the plugin for the demo's purposes: it keeps what is bulk-indexed,
     * answers BM25 searches with {@link Bm25} and "rescores" by capping the window at two hits per shop.
     */
    private static final class IndexingFake {
        final Map<String, JsonNode> docs = new HashMap<>();
        boolean indexExists;
        Bm25 bm25;

        FakeNode.Reply handle(FakeNode.Request r) {
            String p = r.path();
            if (r.method().equals("GET") && p.equals("/")) {
                return FakeNode.Reply.ok("{\"version\":{\"number\":\"3.8.0\"}}");
            }
            if (p.startsWith("/_cat/plugins")) {
                return FakeNode.Reply.ok("[{\"name\":\"n1\",\"component\":\"fair-rescore\",\"version\":\"0.1.0\"}]");
            }
            if (p.startsWith("/_cluster/health")) {
                return FakeNode.Reply.ok("{\"status\":\"green\"}");
            }
            if (r.method().equals("DELETE") && p.equals("/demo-products")) {
                boolean existed = indexExists;
                indexExists = false;
                docs.clear();
                return existed ? FakeNode.Reply.ok("{\"acknowledged\":true}")
                    : new FakeNode.Reply(404, "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index\"},\"status\":404}");
            }
            if (r.method().equals("PUT") && p.equals("/demo-products")) {
                indexExists = true;
                return FakeNode.Reply.ok("{\"acknowledged\":true}");
            }
            if (r.method().equals("PUT") && p.equals("/_ingest/pipeline/" + DemoIndex.PIPELINE)) {
                return FakeNode.Reply.ok("{\"acknowledged\":true}");
            }
            if (p.equals("/_bulk")) {
                String[] lines = r.body().split("\n");
                ArrayNode items = FakeNode.MAPPER.createArrayNode();
                for (int i = 0; i < lines.length; i += 2) {
                    try {
                        JsonNode action = FakeNode.MAPPER.readTree(lines[i]).path("index");
                        docs.put(action.path("_id").asText(), FakeNode.MAPPER.readTree(lines[i + 1]));
                        items.addObject().putObject("index").put("_id", action.path("_id").asText()).put("status", 201);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                ObjectNode response = FakeNode.MAPPER.createObjectNode();
                response.put("took", 5).put("errors", false).set("items", items);
                return FakeNode.Reply.ok(response.toString());
            }
            if (p.equals("/demo-products/_refresh")) {
                List<Product> indexed = CATALOG.products().stream().filter(x -> docs.containsKey(x.id())).toList();
                bm25 = new Bm25(indexed);
                return FakeNode.Reply.ok("{}");
            }
            if (p.equals("/demo-products/_count")) {
                return FakeNode.Reply.ok("{\"count\":" + docs.size() + "}");
            }
            if (p.equals("/demo-products/_search")) {
                return FakeNode.Reply.ok(search(r.json()).toString());
            }
            return new FakeNode.Reply(400, "{\"error\":\"unexpected " + r.method() + " " + p + "\"}");
        }

        JsonNode search(JsonNode request) {
            String query = request.path("query").path("multi_match").path("query").asText();
            int size = request.path("size").asInt(10);
            List<Bm25.Hit> hits;
            if (request.has("rescore")) {
                String text = request.path("rescore").path("fair_semantic").path("query_text").asText();
                if (!text.equals(query)) {
                    throw new IllegalStateException("query_text " + text + " differs from the query " + query);
                }
                Map<String, Integer> perShop = new HashMap<>();
                hits = new ArrayList<>();
                for (Bm25.Hit h : bm25.search(query, request.path("rescore").path("window_size").asInt())) {
                    if (perShop.merge(h.product().shop(), 1, Integer::sum) <= 2 && hits.size() < size) {
                        hits.add(h);
                    }
                }
            } else {
                hits = bm25.search(query, size);
            }
            ObjectNode response = FakeNode.MAPPER.createObjectNode();
            response.put("took", 3);
            ArrayNode array = response.putObject("hits").putArray("hits");
            for (Bm25.Hit h : hits) {
                ObjectNode hit = array.addObject();
                hit.put("_id", h.product().id()).put("_score", h.score());
                hit.set("_source", docs.get(h.product().id()));
            }
            return response;
        }
    }

    private static String runDemo(String url, String... extra) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of(url));
        args.addAll(List.of(extra));
        new Demo(Demo.Options.parse(args.toArray(String[]::new), Map.of()), out).run();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void demoCreatesLoadsAndComparesAgainstANode() throws Exception {
        IndexingFake fake = new IndexingFake();
        try (FakeNode node = new FakeNode(fake::handle)) {
            String output = runDemo(node.url());

            // Index definition.
            List<FakeNode.Request> puts = node.requests("PUT", "/demo-products");
            assertEquals(1, puts.size());
            JsonNode definition = puts.get(0).json();
            JsonNode index = definition.path("settings").path("index");
            assertEquals(1, index.path("number_of_shards").asInt());
            assertEquals(0, index.path("number_of_replicas").asInt());
            JsonNode fair = index.path("fair_rescore");
            assertEquals("[\"title\",\"description\"]", fair.path("text_fields").toString());
            assertEquals("shop", fair.path("shop_field").asText());
            assertEquals(2, fair.path("max_per_shop").asInt());
            assertEquals(10, fair.path("cap_window").asInt());
            assertFalse("the demo shows the default semantic weight", fair.has("semantic_weight"));
            JsonNode props = definition.path("mappings").path("properties");
            assertEquals("text", props.path("title").path("type").asText());
            assertEquals("text", props.path("description").path("type").asText());
            assertEquals("keyword", props.path("shop").path("type").asText());
            assertEquals("keyword", props.path("category").path("type").asText());
            assertEquals("float", props.path("price").path("type").asText());
            assertEquals(CATALOG.seed(), definition.path("mappings").path("_meta").path("seed").asLong());
            // vectors are embedded once at ingest: vector field, index default pipeline, processor over both texts
            assertEquals("fair_rescore_vector", props.path(DemoIndex.VECTOR_FIELD).path("type").asText());
            assertEquals(384, props.path(DemoIndex.VECTOR_FIELD).path("dims").asInt());
            assertEquals(DemoIndex.VECTOR_FIELD, fair.path("vector_field").asText());
            assertEquals(DemoIndex.PIPELINE, index.path("default_pipeline").asText());
            List<FakeNode.Request> pipelines = node.requests("PUT", "/_ingest/pipeline/" + DemoIndex.PIPELINE);
            assertEquals(1, pipelines.size());
            JsonNode fieldMap = pipelines.get(0).json().path("processors").path(0).path("fair_rescore_embed").path("field_map");
            assertEquals("{\"title\":\"embedding\",\"description\":\"embedding\"}", fieldMap.toString());

            // Delete comes before create; bulk in batches of 500 as NDJSON; refresh after the last batch.
            List<String> order = node.requests.stream().map(r -> r.method() + " " + r.path()).toList();
            assertTrue(order.indexOf("DELETE /demo-products") < order.indexOf("PUT /demo-products"));
            List<FakeNode.Request> bulks = node.requests("POST", "/_bulk");
            assertEquals(5, bulks.size());
            for (int i = 0; i < bulks.size(); i++) {
                assertEquals("application/x-ndjson", bulks.get(i).contentType());
                long lines = bulks.get(i).body().chars().filter(c -> c == '\n').count();
                assertEquals(i < 4 ? 1000 : 800, lines);
            }
            assertTrue(order.lastIndexOf("POST /_bulk") < order.indexOf("POST /demo-products/_refresh"));
            assertEquals(CATALOG.products().size(), fake.docs.size());
            Product first = CATALOG.products().get(0);
            assertEquals(FakeNode.MAPPER.valueToTree(first.toSource()), fake.docs.get(first.id()));

            // The searches: exactly the requests the demo promises.
            List<JsonNode> searches = node.requests("POST", "/demo-products/_search").stream().map(FakeNode.Request::json)
                .toList();
            JsonNode rescored = searches.stream().filter(s -> s.has("rescore")).findFirst().orElseThrow();
            assertEquals(FakeNode.MAPPER.readTree("{\"query\":{\"multi_match\":{\"query\":\"running shoes\",\"fields\":"
                + "[\"title^2\",\"description\"]}},\"size\":10,\"rescore\":{\"window_size\":100,\"fair_semantic\":"
                + "{\"query_text\":\"running shoes\"}}}"), rescored);
            for (String q : Demo.DEFAULT_QUERIES) {
                assertTrue(output, output.contains("Query \"" + q + "\""));
                assertTrue(searches.stream().anyMatch(s -> s.has("rescore")
                    && s.path("rescore").path("fair_semantic").path("query_text").asText().equals(q)));
            }

            // The output: a table per query, summaries, timings, how to query and stop the node.
            assertTrue(output, output.contains("OpenSearch 3.8.0, plugin fair-rescore 0.1.0"));
            assertTrue(output, output.contains("Catalog: 2400 products from 60 shops"));
            assertTrue(output, output.matches("(?s).*ingested 2400 products in 5 bulk requests of up to 500 \\+ refresh, "
                + "vectors embedded once by the fair_rescore_embed ingest processor: "
                + "[0-9.]+ s.*"));
            assertEquals(3, count(output, "shops: ") / 2);
            assertTrue(output, output.contains("| shops: ") && output.contains("max 2 per shop"));
            assertTrue(output, output.contains("curl -s -H 'Content-Type: application/json' '" + node.url()
                + "/demo-products/_search?pretty'"));
            assertTrue(output, output.contains("integration-test/node.sh stop"));
            assertTrue(output, output.contains("More judged queries: coffee maker, winter jacket, office chair, dog bed, "
                + "yoga mat (add --query"));
            String firstTable = output.substring(output.indexOf("Query \"running shoes\""));
            assertTrue(firstTable, firstTable.lines().skip(2).limit(10).allMatch(l -> l.matches(" ?\\d+ .* \\| .*")));
        }
    }

    @Test
    public void keepIndexSkipsReloadingTheSameCatalog() throws Exception {
        IndexingFake fake = new IndexingFake();
        AtomicInteger mappingCalls = new AtomicInteger();
        try (FakeNode node = new FakeNode(r -> {
            if (r.path().equals("/demo-products/_mapping")) {
                mappingCalls.incrementAndGet();
                return FakeNode.Reply.ok("{\"demo-products\":{\"mappings\":{\"_meta\":{\"seed\":" + CATALOG.seed()
                    + ",\"products\":2400}}}}");
            }
            return fake.handle(r);
        })) {
            runDemo(node.url());
            int bulks = node.requests("POST", "/_bulk").size();
            String output = runDemo(node.url(), "--keep-index", "--query", "dog bed");
            assertEquals(1, mappingCalls.get());
            assertEquals("no new bulk requests", bulks, node.requests("POST", "/_bulk").size());
            assertTrue(output, output.contains("already holds the catalog"));
            assertTrue(output, output.contains("Query \"dog bed\""));
            assertFalse(output, output.contains("Query \"running shoes\""));
        }
    }

    @Test
    public void bulkItemErrorsFailLoudly() throws Exception {
        try (FakeNode node = new FakeNode(r -> FakeNode.Reply.ok("{\"took\":1,\"errors\":true,\"items\":["
            + "{\"index\":{\"_id\":\"p00001\",\"status\":201}},"
            + "{\"index\":{\"_id\":\"p00002\",\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\","
            + "\"reason\":\"failed to parse field [price]\"}}}]}"))) {
            DemoIndex index = new DemoIndex(new Http(node.url()));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> index.load(CATALOG.products().subList(0, 2)));
            assertTrue(e.getMessage(), e.getMessage().contains("1 of 2 items"));
            assertTrue(e.getMessage(), e.getMessage().contains("p00002"));
            assertTrue(e.getMessage(), e.getMessage().contains("failed to parse field [price]"));
            assertTrue("no refresh after a failed batch", node.requests("POST", "/demo-products/_refresh").isEmpty());
        }
    }

    @Test
    public void checkBulkCatchesErrorsFlagAndMissingItems() throws Exception {
        JsonNode ok = FakeNode.MAPPER.readTree("{\"errors\":false,\"items\":[{\"index\":{\"_id\":\"a\",\"status\":201}}]}");
        DemoIndex.checkBulk(ok, 1);
        assertThrows(IllegalStateException.class, () -> DemoIndex.checkBulk(ok, 2));
        JsonNode flagged = FakeNode.MAPPER.readTree("{\"errors\":true,\"items\":[{\"index\":{\"_id\":\"a\",\"status\":201}}]}");
        assertThrows(IllegalStateException.class, () -> DemoIndex.checkBulk(flagged, 1));
    }

    @Test
    public void missingPluginIsReportedWithTheFix() throws Exception {
        try (FakeNode node = new FakeNode(r -> r.path().startsWith("/_cat/plugins") ? FakeNode.Reply.ok("[]")
            : FakeNode.Reply.ok("{\"version\":{\"number\":\"3.8.0\"}}"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runDemo(node.url()));
            assertTrue(e.getMessage(), e.getMessage().contains("no fair-rescore plugin"));
            assertTrue(e.getMessage(), e.getMessage().contains("node.sh install"));
        }
    }

    @Test
    public void rejectedSettingsPointAtThePlugin() throws Exception {
        try (FakeNode node = new FakeNode(r -> r.method().equals("PUT") ? new FakeNode.Reply(400,
            "{\"error\":{\"root_cause\":[{\"type\":\"illegal_argument_exception\",\"reason\":\"unknown setting "
                + "[index.fair_rescore.max_per_shop]\"}],\"type\":\"illegal_argument_exception\",\"reason\":\"x\"},\"status\":400}")
            : FakeNode.Reply.ok("{}"))) {
            DemoIndex index = new DemoIndex(new Http(node.url()));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.create(CATALOG));
            assertTrue(e.getMessage(), e.getMessage().contains("unknown setting [index.fair_rescore.max_per_shop]"));
            assertTrue(e.getMessage(), e.getMessage().contains("plugin installed"));
        }
    }

    @Test
    public void failedRescoreShowsTheNodesReason() throws Exception {
        try (FakeNode node = new FakeNode(r -> new FakeNode.Reply(400, "{\"error\":{\"root_cause\":[{\"type\":"
            + "\"parsing_exception\",\"reason\":\"unknown rescorer [fair_semantic]\"}]},\"status\":400}"))) {
            DemoIndex index = new DemoIndex(new Http(node.url()));
            Http.Failure e = assertThrows(Http.Failure.class,
                () -> index.search(DemoIndex.fairRequest("dog bed")));
            assertEquals(400, e.status());
            assertTrue(e.getMessage(), e.getMessage().contains("parsing_exception: unknown rescorer [fair_semantic]"));
        }
    }

    @Test
    public void noNodeIsAClearError() throws Exception {
        String url;
        try (FakeNode node = new FakeNode(r -> FakeNode.Reply.ok("{}"))) {
            url = node.url();
        }
        Http.Failure e = assertThrows(Http.Failure.class, () -> new Http(url).expect("GET", "/", null));
        assertEquals(-1, e.status());
        assertTrue(e.getMessage(), e.getMessage().contains("no OpenSearch node answers at " + url));
    }

    @Test
    public void optionsComeFromArgumentsAndEnvironment() {
        Demo.Options defaults = Demo.Options.parse(new String[0], Map.of());
        assertEquals("http://127.0.0.1:9200", defaults.baseUrl());
        assertEquals(Demo.DEFAULT_QUERIES, defaults.queries());
        assertEquals(CatalogGenerator.DEFAULT_SEED, defaults.seed());
        assertEquals("http://127.0.0.1:9311", Demo.Options.parse(new String[0], Map.of("FR_HTTP_PORT", "9311")).baseUrl());
        Demo.Options o = Demo.Options.parse(new String[] {"http://10.0.0.1:9201", "--seed", "5", "--products", "3000",
            "--query", "yoga mat", "--query", "dog bed", "--keep-index"}, Map.of("FR_HTTP_PORT", "9311"));
        assertEquals("http://10.0.0.1:9201", o.baseUrl());
        assertEquals(5, o.seed());
        assertEquals(3000, o.products());
        assertEquals(List.of("yoga mat", "dog bed"), o.queries());
        assertTrue(o.keepIndex());
        assertThrows(IllegalArgumentException.class, () -> Demo.Options.parse(new String[] {"--bogus"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Demo.Options.parse(new String[] {"--seed"}, Map.of()));
    }

    @Test
    public void sideBySideSummarisesShopsAndRelevance() {
        DemoQuery q = CATALOG.query("running shoes");
        String exact = q.idsWith(Relevance.EXACT).get(0);
        String partial = q.idsWith(Relevance.PARTIAL).get(0);
        String other = CATALOG.products().stream().map(Product::id).filter(id -> q.grade(id) == Relevance.IRRELEVANT)
            .findFirst().orElseThrow();
        List<DemoIndex.Hit> left = List.of(new DemoIndex.Hit(exact, "A very long title that will not fit into the column",
            "megamart", 9), new DemoIndex.Hit(other, "Shoe rack", "megamart", 8), new DemoIndex.Hit(partial, "Gym shoes",
            "megamart", 7));
        List<DemoIndex.Hit> right = List.of(new DemoIndex.Hit(partial, "Gym shoes", "stride-lab", 3),
            new DemoIndex.Hit(exact, "Trainers", "megamart", 2));
        assertEquals(new SideBySide.ShopStats(1, 3, "megamart"), SideBySide.shopStats(left));
        assertEquals(new SideBySide.ShopStats(2, 1, "stride-lab"), SideBySide.shopStats(right));
        String table = SideBySide.render("running shoes", new DemoIndex.Result(left, 4, 6),
            new DemoIndex.Result(right, 40, 45), q, List.of(exact, other, partial));
        List<String> lines = table.lines().toList();
        assertEquals(table, 7, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("BM25 6 ms (took 4 ms)") && lines.get(0).contains("fair_semantic 45 ms (took 40 ms)"));
        String longTitle = "A very long title that will not fit into the column";
        assertTrue(longTitle.length() > SideBySide.TITLE_WIDTH);
        assertTrue(lines.get(2), lines.get(2).startsWith(" 1 + " + longTitle.substring(0, SideBySide.TITLE_WIDTH - 1)
            + "… megamart "));
        assertTrue(lines.get(2), lines.get(2).endsWith("#3"));
        assertTrue(lines.get(3), lines.get(3).contains(" - Shoe rack") && lines.get(3).endsWith("#1"));
        assertTrue(lines.get(5), lines.get(5).matches(" +shops: 1 distinct, max 3 per shop \\(megamart\\) +"
            + "\\| shops: 2 distinct, max 1 per shop \\(stride-lab\\)"));
        assertTrue(lines.get(6), lines.get(6).matches(" +relevance: 1 exact, 1 partial, 1 off-target +"
            + "\\| relevance: 1 exact, 1 partial, 0 off-target"));
        assertEquals("columns line up", lines.get(1).indexOf(" | "), lines.get(5).indexOf(" | "));
        assertEquals("columns line up", lines.get(2).indexOf(" | "), lines.get(6).indexOf(" | "));
        assertEquals('+', SideBySide.mark(q, exact));
        assertEquals(' ', SideBySide.mark(null, exact));
        assertEquals("abc", SideBySide.truncate("abc", 3));
        assertEquals("ab…", SideBySide.truncate("abcd", 3));
    }

    @Test
    public void curlExampleIsTheRescoreRequest() {
        String curl = Demo.curlExample("http://127.0.0.1:9200", "demo-products", "dog bed");
        assertTrue(curl, curl.contains("'http://127.0.0.1:9200/demo-products/_search?pretty'"));
        assertTrue(curl, curl.contains("-d '" + Http.toJson(DemoIndex.fairRequest("dog bed")) + "'"));
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
