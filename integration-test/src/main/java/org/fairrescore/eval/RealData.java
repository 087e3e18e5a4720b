package org.fairrescore.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fairrescore.reliability.Http;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.data.WandsSubsetLoader;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's real-data run: the WANDS subset (real products, human labels) indexed once per English model, each
 * index's {@code fair_rescore_vector} field bound to its model, then every judged query searched under BM25 and
 * {@code fair_semantic} with the index defaults, a small weight sweep and the cap. The setup is fixed (it is the one
 * the team's WANDS numbers use): first pass {@code multi_match} over {@code name^2}, {@code product_class},
 * {@code category}; rescore window 100; vectors of {@code name} + {@code product_class} stored at ingest with
 * {@code inference_batch} 1 (so they equal the rescorer's on-the-fly vectors); one shard; the top 10 measured.
 */
final class RealData {

    static final String MINILM = "all-minilm-l6-v2-q";
    static final String BGE = "bge-small-en-v15-q";
    /** The English models compared, one index each. */
    static final List<String> MODELS = List.of(MINILM, BGE);
    /** The plugin's default {@code fair_rescore.model}: the cap runs on its index. */
    static final String DEFAULT_MODEL = BGE;
    /** Embedded fields, in {@code index.fair_rescore.text_fields} order (the pipeline joins them in this order). */
    static final List<String> TEXT_FIELDS = List.of("name", "product_class");
    /** The first pass. */
    static final List<String> FIRST_PASS_FIELDS = List.of("name^2", "product_class", "category");
    static final int WINDOW = 100;
    static final int K = 10;
    /** Documents per bulk request. */
    static final int BULK_SIZE = 200;
    /** Texts per ONNX Runtime call at ingest: 1, so a stored vector is bit for bit the on-the-fly one. */
    static final int INFERENCE_BATCH = 1;
    static final int MAX_PER_SHOP = 2;
    static final int CAP_WINDOW = 10;
    /** semantic_weight values sent in the clause besides the default (none sent). */
    static final List<Double> SWEEP = List.of(0.5, 1.0);
    static final String VECTOR_FIELD = "embedding";
    /**
     * Keyword field with the seeded shop's tier ({@code head} / {@code tail}): the protected group of the sweep's
     * {@code fair_topk} points.
     */
    static final String TIER_FIELD = "shop_tier";
    /** The numeric WANDS product id, the index sort. */
    static final String ID_FIELD = "product_id";

    /**
     * One ranker of the section.
     *
     * @param id     short id (table columns)
     * @param model  the model whose index is searched; null for BM25 (searched on the default model's index)
     * @param weight semantic_weight sent in the clause; null to send none (the index default applies)
     * @param mode   {@code index.fair_rescore.mode} during the run ({@code none} or {@code cap}); null for BM25
     */
    record Config(String id, String model, Double weight, String mode) {
        boolean rescored() {
            return model != null;
        }

        boolean capped() {
            return "cap".equals(mode);
        }
    }

    /** Per index: how long loading took and what explain said about the vectors of the default-weight top 10. */
    record IndexInfo(String model, String index, double seconds, double defaultWeight, double saturation, int stored,
                     int onTheFly) {
    }

    /**
     * Everything the node answered.
     *
     * @param hits          per configuration id, the top 10 of each query in the dataset's query order
     * @param sameFirstPass whether every query's first-pass window (top 100 ids) was the same in every index
     */
    record Results(WandsSubsetLoader.Subset subset, List<Config> configs, Map<String, List<List<Searches.Hit>>> hits,
                   List<IndexInfo> indices, boolean sameFirstPass, double seconds) {
    }

    /** BM25; then per model the weight 0.5, the default and 1.0; then the cap at the default weight. */
    static List<Config> configs() {
        List<Config> out = new ArrayList<>();
        out.add(new Config("bm25", null, null, null));
        for (String model : MODELS) {
            String shortName = shortName(model);
            out.add(new Config(shortName + " w=" + weight(SWEEP.get(0)), model, SWEEP.get(0), "none"));
            out.add(new Config(shortName + " default", model, null, "none"));
            for (Double w : SWEEP.subList(1, SWEEP.size())) {
                out.add(new Config(shortName + " w=" + weight(w), model, w, "none"));
            }
        }
        out.add(new Config(shortName(DEFAULT_MODEL) + " default + cap", DEFAULT_MODEL, null, "cap"));
        return List.copyOf(out);
    }

    static String shortName(String model) {
        return model.startsWith("all-minilm") ? "minilm" : model.startsWith("bge-small-en") ? "bge" : model;
    }

    static String weight(double w) {
        return String.format(Locale.ROOT, "%.1f", w);
    }

    private final Http client;
    private final PrintStream log;
    /** Run on the default model's index before it is deleted, when set ({@code --sweep}). */
    private Sweep sweep;
    private Sweep.Results sweepResults;
    /** Run on the default model's index before it is deleted, when set. */
    private DiversityRun diversity;
    private DiversityRun.Results diversityResults;

    /** Runs {@code diversity} on the default model's index at the end of {@link #run} ({@link #diversityResults}). */
    RealData withDiversity(DiversityRun diversity) {
        this.diversity = diversity;
        return this;
    }

    DiversityRun.Results diversityResults() {
        return diversityResults;
    }

    /** Runs {@code sweep} on the default model's index at the end of {@link #run}; its results: {@link #sweepResults}. */
    RealData withSweep(Sweep sweep) {
        this.sweep = sweep;
        return this;
    }

    Sweep.Results sweepResults() {
        return sweepResults;
    }

    RealData(Http client, PrintStream log) {
        this.client = client;
        this.log = log;
    }

    static String indexName(String model) {
        return "fair-eval-" + WandsSubsetLoader.NAME + "-" + model;
    }

    static String pipelineName(String model) {
        return indexName(model) + "-embed";
    }

    /**
     * The index of one model: one shard, the vector field bound to the model, no semantic_weight (the default). The
     * documents are sorted by product id (index sorting, then one segment): equal first-pass scores then come in the
     * same order in every index, whatever segments the load happened to make.
     */
    static ObjectNode indexDefinition(String model) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        ObjectNode index = body.putObject("settings").putObject("index");
        index.put("number_of_shards", 1);
        index.put("number_of_replicas", 0);
        index.put("default_pipeline", pipelineName(model));
        index.putObject("sort").put("field", ID_FIELD).put("order", "asc");
        ObjectNode fair = index.putObject("fair_rescore");
        TEXT_FIELDS.forEach(fair.putArray("text_fields")::add);
        fair.put("vector_field", VECTOR_FIELD);
        fair.put("shop_field", "shop");
        fair.put("mode", "none");
        fair.put("max_per_shop", MAX_PER_SHOP);
        fair.put("cap_window", CAP_WINDOW);
        ObjectNode properties = body.putObject("mappings").putObject("properties");
        properties.putObject(ID_FIELD).put("type", "long");
        properties.putObject("name").put("type", "text");
        properties.putObject("product_class").put("type", "text");
        properties.putObject("category").put("type", "text");
        properties.putObject("shop").put("type", "keyword");
        properties.putObject(TIER_FIELD).put("type", "keyword");
        properties.putObject(VECTOR_FIELD).put("type", "fair_rescore_vector").put("model", model);
        return body;
    }

    /** {@code name} and {@code product_class}, in that order, into the vector field, one text per inference call. */
    static ObjectNode pipelineDefinition() {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        body.put("description", "fair-rescore evaluation, real data: embed " + TEXT_FIELDS + " once, at ingest");
        ObjectNode processor = body.putArray("processors").addObject().putObject("fair_rescore_embed");
        ObjectNode fieldMap = processor.putObject("field_map");
        TEXT_FIELDS.forEach(f -> fieldMap.put(f, VECTOR_FIELD));
        processor.put("inference_batch", INFERENCE_BATCH);
        return body;
    }

    static ObjectNode firstPass(String query, int size) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        ObjectNode multiMatch = body.putObject("query").putObject("multi_match");
        multiMatch.put("query", query);
        FIRST_PASS_FIELDS.forEach(multiMatch.putArray("fields")::add);
        body.put("size", size);
        body.putArray("_source").add("shop");
        return body;
    }

    /** The clause carries the query text and, in the sweep, the weight; everything else is the index's default. */
    static ObjectNode request(Config c, String query) {
        ObjectNode body = firstPass(query, K);
        if (c.rescored()) {
            ObjectNode rescore = body.putObject("rescore");
            rescore.put("window_size", WINDOW);
            ObjectNode clause = rescore.putObject("fair_semantic");
            clause.put("query_text", query);
            if (c.weight() != null) {
                clause.put("semantic_weight", c.weight());
            }
        }
        return body;
    }

    Results run(WandsSubsetLoader.Subset subset, boolean keepIndices) {
        long start = System.nanoTime();
        List<Config> configs = configs();
        List<JudgedQuery> queries = subset.dataset().queries();
        log.println("Real data (" + subset.dataset().name() + "): " + MODELS.size() + " indices, "
            + queries.size() + " queries under " + configs.size() + " configurations:");
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> created = new ArrayList<>();
        try {
            for (String model : MODELS) {
                created.add(model);
                seconds.put(model, createAndLoad(model, subset));
            }
            // The first pass does not depend on the model: check that every index gives the same windows.
            boolean same = true;
            List<List<String>> first = null;
            for (String model : MODELS) {
                List<List<String>> perQuery = new ArrayList<>();
                for (JudgedQuery q : queries) {
                    perQuery.add(search(indexName(model), firstPass(q.text(), WINDOW)).stream().map(Searches.Hit::id)
                        .toList());
                }
                if (first == null) {
                    first = perQuery;
                } else if (perQuery.equals(first) == false) {
                    same = false;
                    for (int i = 0; i < queries.size(); i++) {
                        if (perQuery.get(i).equals(first.get(i)) == false) {
                            log.println("  first-pass window of \"" + queries.get(i).text() + "\" differs in "
                                + indexName(model) + ": " + perQuery.get(i) + " vs " + first.get(i));
                        }
                    }
                }
            }

            Map<String, List<List<Searches.Hit>>> hits = new LinkedHashMap<>();
            Map<String, String> modes = new LinkedHashMap<>();
            MODELS.forEach(m -> modes.put(m, "none"));
            for (Config c : configs) {
                String model = c.rescored() ? c.model() : DEFAULT_MODEL;
                String index = indexName(model);
                if (c.rescored() && c.mode().equals(modes.get(model)) == false) {
                    setMode(index, c.mode());
                    modes.put(model, c.mode());
                }
                Progress progress = new Progress(log, "real data: " + c.id(), queries.size(), "queries");
                search(index, request(c, queries.get(0).text())); // untimed warm-up, as in the seeded runs
                List<List<Searches.Hit>> out = new ArrayList<>();
                for (JudgedQuery q : queries) {
                    out.add(search(index, request(c, q.text())));
                    progress.advance(1);
                }
                hits.put(c.id(), out);
            }

            List<IndexInfo> infos = new ArrayList<>();
            for (String model : MODELS) {
                String index = indexName(model);
                if (modes.get(model).equals("none") == false) {
                    setMode(index, "none");
                }
                int stored = 0;
                int onTheFly = 0;
                for (JudgedQuery q : queries) {
                    ObjectNode request = request(new Config("explain", model, null, "none"), q.text());
                    request.put("explain", true);
                    Searches.Explained e = Searches.explained(client.expect("POST", "/" + index + "/_search", request).json(), K);
                    stored += e.storedVectors();
                    onTheFly += e.onTheFly();
                }
                infos.add(new IndexInfo(model, index, seconds.get(model), indexSetting(index, "semantic_weight"),
                    indexSetting(index, "first_pass_saturation"), stored, onTheFly));
            }
            if (diversity != null) {
                String index = indexName(DEFAULT_MODEL);
                Config defaults = new Config("default", DEFAULT_MODEL, null, "none");
                long classes = subset.products().stream().map(WandsSubsetLoader.Product::productClass).distinct()
                    .count();
                diversityResults = diversity.run("WANDS subset, " + shortName(DEFAULT_MODEL) + " default (index "
                        + index + ", seeded Zipf shops)",
                    "WANDS product_class (" + classes + " distinct in the subset)",
                    List.of(new DiversityRun.Target(index, subset.dataset(), text -> request(defaults, text),
                        VECTOR_FIELD, TIER_FIELD)));
            }
            if (sweep != null) {
                sweepResults = sweep.runOn(indexName(DEFAULT_MODEL), subset, seconds.get(DEFAULT_MODEL));
            }
            return new Results(subset, configs, hits, infos, same, (System.nanoTime() - start) / 1e9);
        } finally {
            if (keepIndices == false) {
                for (String model : created) {
                    client.expect("DELETE", "/" + indexName(model), null, 200, 404);
                    client.expect("DELETE", "/_ingest/pipeline/" + pipelineName(model), null, 200, 404);
                }
            }
        }
    }

    /**
     * Creates the model's pipeline and index and bulk-loads the products; returns the seconds it took. The replay
     * ({@link Replay}) loads the default model's index through this too.
     */
    double createAndLoad(String model, WandsSubsetLoader.Subset subset) {
        long start = System.nanoTime();
        String index = indexName(model);
        client.expect("DELETE", "/" + index, null, 200, 404);
        client.expect("PUT", "/_ingest/pipeline/" + pipelineName(model), pipelineDefinition());
        client.expect("PUT", "/" + index, indexDefinition(model));
        List<WandsSubsetLoader.Product> products = subset.products();
        Progress progress = new Progress(log, "indexing + embedding " + shortName(model), products.size(), "docs");
        for (int from = 0; from < products.size(); from += BULK_SIZE) {
            List<WandsSubsetLoader.Product> batch = products.subList(from, Math.min(products.size(), from + BULK_SIZE));
            EvalIndex.checkBulk(client.expectNdjson("/_bulk", bulkBody(index, batch, subset.dataset())).json(),
                batch.size());
            progress.advance(batch.size());
        }
        client.expect("POST", "/" + index + "/_refresh", null);
        client.expect("POST", "/" + index + "/_forcemerge?max_num_segments=1", null);
        long count = client.expect("GET", "/" + index + "/_count", null).json().path("count").asLong(-1);
        if (count != products.size()) {
            throw new IllegalStateException("index " + index + " holds " + count + " documents after loading "
                + products.size());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static String bulkBody(String index, List<WandsSubsetLoader.Product> batch,
                           org.fairrescore.eval.data.Dataset dataset) {
        StringBuilder ndjson = new StringBuilder(batch.size() * 300);
        for (WandsSubsetLoader.Product p : batch) {
            ObjectNode action = EvalIndex.JSON.createObjectNode();
            action.putObject("index").put("_index", index).put("_id", p.id());
            Map<String, Object> source = new LinkedHashMap<>();
            source.put(ID_FIELD, Long.parseLong(p.id()));
            source.put("name", p.name());
            source.put("product_class", p.productClass());
            source.put("category", p.category());
            source.put("shop", p.shop());
            source.put(TIER_FIELD, dataset.tier(p.shop()));
            ndjson.append(EvalIndex.json(action)).append('\n').append(EvalIndex.json(source)).append('\n');
        }
        return ndjson.toString();
    }

    private List<Searches.Hit> search(String index, ObjectNode request) {
        return Searches.hits(client.expect("POST", "/" + index + "/_search", request).json());
    }

    private void setMode(String index, String mode) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        body.putObject("index").putObject("fair_rescore").put("mode", mode);
        client.expect("PUT", "/" + index + "/_settings", body);
    }

    /** A numeric {@code index.fair_rescore.*} setting as the index applies it: its own value, else the default. */
    private double indexSetting(String index, String key) {
        JsonNode body = client.expect("GET", "/" + index + "/_settings?include_defaults=true", null).json().path(index);
        for (String section : List.of("settings", "defaults")) {
            JsonNode v = body.path(section).path("index").path("fair_rescore").path(key);
            if (v.isMissingNode() == false && v.isNull() == false) {
                return Double.parseDouble(v.asText());
            }
        }
        return Double.NaN;
    }

    /**
     * The models the real-data run needs that the node does not load (absent from
     * {@code GET _plugins/_fair_rescore/stats}, or loaded with an error), with why.
     */
    static Map<String, String> missingModels(JsonNode stats) {
        Map<String, String> missing = new LinkedHashMap<>();
        JsonNode nodes = stats.path("nodes");
        if (nodes.isObject() == false || nodes.isEmpty()) {
            MODELS.forEach(m -> missing.put(m, "the stats name no node"));
            return missing;
        }
        for (String model : MODELS) {
            for (JsonNode node : nodes) {
                JsonNode m = node.path("models").path(model);
                if (m.isMissingNode()) {
                    missing.putIfAbsent(model, "not loaded by node " + node.path("name").asText("?"));
                } else if (m.hasNonNull("error")) {
                    missing.putIfAbsent(model, m.path("error").asText());
                }
            }
        }
        return missing;
    }
}
