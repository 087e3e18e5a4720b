package org.fairrescore.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fairrescore.reliability.Http;
import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One dataset's index on the node: one shard (so the per-shard rescore is the whole ranking), every quota parameter
 * set once, and {@code index.fair_rescore.mode} switched per configuration (a dynamic setting, read on every search).
 */
final class EvalIndex {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Documents per bulk request (each embedded at ingest with stored vectors: small enough for steady progress). */
    static final int BATCH_SIZE = 250;
    /** The keyword field that marks the protected group of {@code fair_topk}: a shop's tier. */
    static final String TIER_FIELD = "shop_tier";
    /** The {@code fair_rescore_vector} field of stored document vectors. */
    static final String VECTOR_FIELD = "embedding";
    /** Dimensions of the node's default model ({@code all-minilm-l6-v2-q}). */
    static final int VECTOR_DIMS = 384;
    /**
     * Texts per ONNX Runtime call at ingest: about 1.7x the throughput of 1; the int8 model then quantizes each batch
     * with shared scales, so a stored vector differs slightly (cosine ~0.99) from the solo one the rescorer would
     * compute. Every document has a stored vector here, so rankings never mix the two.
     */
    static final int INFERENCE_BATCH = 8;

    private final Http client;
    private final Dataset dataset;
    private final RunSettings settings;
    private final String name;

    EvalIndex(Http client, Dataset dataset, RunSettings settings) {
        this.client = client;
        this.dataset = dataset;
        this.settings = settings;
        this.name = "fair-eval-" + dataset.name();
    }

    String name() {
        return name;
    }

    /** The ingest pipeline that embeds this index's documents (only with stored vectors). */
    String pipeline() {
        return name + "-embed";
    }

    Dataset dataset() {
        return dataset;
    }

    ObjectNode definition() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode index = body.putObject("settings").putObject("index");
        index.put("number_of_shards", 1);
        index.put("number_of_replicas", 0);
        ObjectNode fair = index.putObject("fair_rescore");
        settings.fields().forEach(fair.putArray("text_fields")::add);
        if (settings.semanticWeight() != null) {
            fair.put("semantic_weight", settings.semanticWeight());
        }
        fair.put("shop_field", "shop");
        fair.put("mode", "none");
        fair.put("max_per_shop", settings.maxPerShop());
        fair.put("cap_window", settings.capWindow());
        fair.put("max_share", settings.maxShare());
        fair.put("share_min_prefix", settings.shareMinPrefix());
        fair.put("protected_field", TIER_FIELD);
        fair.put("protected_value", Dataset.TAIL);
        fair.put("protected_share", settings.protectedShare());
        fair.put("alpha", settings.alpha());
        if (settings.storedVectors()) {
            fair.put("vector_field", VECTOR_FIELD);
            index.put("default_pipeline", pipeline());
        }
        ObjectNode properties = body.putObject("mappings").putObject("properties");
        properties.putObject("title").put("type", "text");
        properties.putObject("description").put("type", "text");
        properties.putObject("shop").put("type", "keyword");
        properties.putObject(TIER_FIELD).put("type", "keyword");
        if (settings.storedVectors()) {
            properties.putObject(VECTOR_FIELD).put("type", "fair_rescore_vector").put("dims", VECTOR_DIMS);
        }
        return body;
    }

    /**
     * The {@code fair_rescore_embed} pipeline: the embedded fields, in {@code text_fields} order, into one vector
     * field, so a stored vector embeds the same text the rescorer would.
     */
    ObjectNode pipelineDefinition() {
        ObjectNode body = JSON.createObjectNode();
        body.put("description", "fair-rescore evaluation: embed " + settings.fields() + " once, at ingest");
        ObjectNode processor = body.putArray("processors").addObject().putObject("fair_rescore_embed");
        ObjectNode fieldMap = processor.putObject("field_map");
        settings.fields().forEach(f -> fieldMap.put(f, VECTOR_FIELD));
        processor.put("inference_batch", INFERENCE_BATCH);
        return body;
    }

    /** Deletes an index of the same name, creates this one and bulk-loads the catalog with a progress bar. */
    void createAndLoad(PrintStream log) {
        client.expect("DELETE", "/" + name, null, 200, 404);
        try {
            if (settings.storedVectors()) {
                client.expect("PUT", "/_ingest/pipeline/" + pipeline(), pipelineDefinition());
            }
            client.expect("PUT", "/" + name, definition());
        } catch (Http.Failure e) {
            if (e.getMessage().contains("fair_rescore")) {
                throw new IllegalStateException("the node rejected the fair_rescore settings, field or processor; is "
                    + "the fair-rescore plugin installed (and current)? " + e.getMessage(), e);
            }
            throw e;
        }
        List<Item> items = dataset.items();
        Progress progress = new Progress(log, (settings.storedVectors() ? "indexing + embedding " : "indexing ")
            + dataset.name(), items.size(), "docs");
        for (int from = 0; from < items.size(); from += BATCH_SIZE) {
            List<Item> batch = items.subList(from, Math.min(items.size(), from + BATCH_SIZE));
            checkBulk(client.expectNdjson("/_bulk", bulkBody(batch)).json(), batch.size());
            progress.advance(batch.size());
        }
        client.expect("POST", "/" + name + "/_refresh", null);
        long count = client.expect("GET", "/" + name + "/_count", null).json().path("count").asLong(-1);
        if (count != items.size()) {
            throw new IllegalStateException("index " + name + " holds " + count + " documents after loading "
                + items.size());
        }
    }

    String bulkBody(List<Item> batch) {
        StringBuilder ndjson = new StringBuilder(batch.size() * 300);
        for (Item item : batch) {
            ObjectNode action = JSON.createObjectNode();
            action.putObject("index").put("_index", name).put("_id", item.id());
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("title", item.title());
            source.put("description", item.description());
            if (item.shop() != null) {
                source.put("shop", item.shop());
            }
            source.put(TIER_FIELD, dataset.tier(item.shop()));
            ndjson.append(json(action)).append('\n').append(json(source)).append('\n');
        }
        return ndjson.toString();
    }

    static void checkBulk(JsonNode response, int expected) {
        JsonNode items = response.path("items");
        List<String> failures = new ArrayList<>();
        for (JsonNode item : items) {
            JsonNode result = item.elements().hasNext() ? item.elements().next() : item;
            int status = result.path("status").asInt(0);
            if (result.has("error") || status < 200 || status > 299) {
                failures.add(result.path("_id").asText("?") + " (HTTP " + status + "): "
                    + result.path("error").path("reason").asText(result.path("error").asText("")));
            }
        }
        if (failures.isEmpty() == false || response.path("errors").asBoolean(false)) {
            throw new IllegalStateException("bulk indexing failed for " + failures.size() + " items, first: "
                + failures.subList(0, Math.min(3, failures.size())));
        }
        if (items.size() != expected) {
            throw new IllegalStateException("bulk response has " + items.size() + " items for " + expected + " documents");
        }
    }

    void setMode(String mode) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("index").putObject("fair_rescore").put("mode", mode);
        client.expect("PUT", "/" + name + "/_settings", body);
    }

    void delete() {
        client.expect("DELETE", "/" + name, null, 200, 404);
        if (settings.storedVectors()) {
            client.expect("DELETE", "/_ingest/pipeline/" + pipeline(), null, 200, 404);
        }
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise " + o, e);
        }
    }
}
