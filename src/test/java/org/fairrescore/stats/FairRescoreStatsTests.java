package org.fairrescore.stats;

import org.fairrescore.fairness.Reordering;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class FairRescoreStatsTests extends OpenSearchTestCase {

    private static NodeStats.ModelInfo model(String id, boolean isDefault, String error) {
        return new NodeStats.ModelInfo(
                id, isDefault, 384, 512, 1, 1, "cpu", "cpu", error == null ? 34_014_426 : 0, error);
    }

    /** Three hits; the best-scored one is placed last (moved 3: every position differs from score order). */
    private static Reordering rotated(boolean met) {
        return new Reordering(
                new int[] {1, 2, 0}, new int[] {0, 1, 2}, new boolean[] {false, false, met == false}, met);
    }

    public void testCountsInferenceRescoreAndQuotaByMode() {
        FairRescoreStats stats = new FairRescoreStats();
        stats.model(model("bge-small-en-v15-q", true, null));
        stats.model(model("all-minilm-l6-v2-q", false, null));
        stats.inference("bge-small-en-v15-q", 2, 12, 3_000_000, true);
        stats.inference("all-minilm-l6-v2-q", 1, 4, 1_000_000, true);
        stats.inference("bge-small-en-v15-q", 1, 4, 9_000_000, false);
        stats.rescoreWindow("cap", rotated(true), 40_000_000);
        stats.rescoreWindow("cap", rotated(false), 20_000_000);
        stats.rescoreWindow("fair_topk", rotated(true), 10_000_000);
        stats.pipelineWindow("share", rotated(true));

        NodeStats s = stats.snapshot();
        assertEquals(
                "the default model first",
                List.of("bge-small-en-v15-q", "all-minilm-l6-v2-q"),
                s.models().stream().map(NodeStats.Model::id).toList());
        assertEquals("bge-small-en-v15-q", s.defaultModel().id());
        NodeStats.Inference bge = s.models().get(0).inference();
        assertEquals(2, bge.batches());
        assertEquals(1, bge.failures());
        assertEquals(2, bge.texts());
        assertEquals(1, s.models().get(1).inference().texts());
        assertEquals(3, s.inference().batches());
        assertEquals(1, s.inference().failures());
        assertEquals(3, s.inference().texts());
        assertEquals(16, s.inference().tokens());
        assertEquals(2, s.inference().batchSize().count());
        assertEquals(2, s.inference().batchSize().max());
        assertEquals(1.5, s.inference().batchSize().mean(), 1e-9);
        assertEquals(3_000, s.inference().latencyMicros().max());
        assertEquals(2, s.inference().latencyMicros().count());

        assertEquals(3, s.rescore().windows());
        assertEquals(9, s.rescore().hits());
        assertEquals(40_000, s.rescore().latencyMicros().max());

        assertEquals(
                List.of("cap", "share", "fair_topk", "group_fair_topk", "none"),
                List.copyOf(s.rescoreQuota().keySet()));
        assertEquals(new NodeStats.QuotaCounts(2, 6, 6, 1), s.rescoreQuota().get("cap"));
        assertEquals(new NodeStats.QuotaCounts(1, 3, 3, 0), s.rescoreQuota().get("fair_topk"));
        assertEquals(NodeStats.QuotaCounts.EMPTY, s.rescoreQuota().get("none"));
        assertEquals(new NodeStats.QuotaCounts(1, 3, 3, 0), s.pipelineQuota().get("share"));
        assertEquals(NodeStats.QuotaCounts.EMPTY, s.pipelineQuota().get("cap"));
        assertEquals(new NodeStats.Isolation(0, 0, 0, 0), s.isolation());
        stats.timeout();
        stats.cancelled();
        stats.cancelled();
        stats.rejected();
        stats.breakerTripped();
        stats.breakerTripped();
        stats.breakerTripped();
        assertEquals(new NodeStats.Isolation(1, 2, 1, 3), stats.snapshot().isolation());
        assertNull(stats.snapshot().defaultModel().error());
        assertTrue(stats.snapshot().models().stream().noneMatch(NodeStats.Model::deviceFallback));
        // a model reported again (e.g. its load failed): the last report wins
        stats.model(model("all-minilm-l6-v2-q", false, "model [all-minilm-l6-v2-q] cannot be loaded"));
        assertEquals(
                "model [all-minilm-l6-v2-q] cannot be loaded",
                stats.snapshot().models().get(1).error());
        assertEquals(1, stats.snapshot().models().get(1).inference().texts());
    }

    public void testHitRatio() {
        assertEquals(0.0, NodeStats.Cache.EMPTY.hitRatio(), 0);
        assertEquals(0.75, new NodeStats.Cache(1, 2, 3, 3, 1, 1, 0, 0, 0).hitRatio(), 1e-12);
    }

    public static NodeStats randomNodeStats() {
        Map<String, NodeStats.QuotaCounts> modes = new LinkedHashMap<>();
        for (String mode : List.of("cap", "share", "fair_topk", "none")) {
            modes.put(
                    mode,
                    new NodeStats.QuotaCounts(
                            randomNonNegativeLong(),
                            randomNonNegativeLong(),
                            randomNonNegativeLong(),
                            randomNonNegativeLong()));
        }
        Map<String, NodeStats.QuotaCounts> pipeline = new LinkedHashMap<>();
        pipeline.put("cap", new NodeStats.QuotaCounts(1, 2, 3, 4));
        List<NodeStats.Model> models = new java.util.ArrayList<>();
        for (int m = randomIntBetween(0, 3); m > 0; m--) {
            models.add(new NodeStats.Model(
                    new NodeStats.ModelInfo(
                            randomAlphaOfLength(8),
                            models.isEmpty(),
                            randomIntBetween(1, 1024),
                            128,
                            1,
                            randomIntBetween(1, 64),
                            "cpu",
                            randomFrom("cpu", "cuda"),
                            randomNonNegativeLong(),
                            randomBoolean()
                                    ? null
                                    : "model [x] cannot be loaded from [/tmp/x/model.onnx]: " + randomAlphaOfLength(5)),
                    randomInference()));
        }
        return new NodeStats(
                models,
                randomInference(),
                new NodeStats.Rescore(
                        randomNonNegativeLong(), randomNonNegativeLong(), randomDistribution(), randomDistribution()),
                randomCache(),
                randomCache(),
                new NodeStats.Documents(
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong()),
                new NodeStats.Ingest(
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong()),
                modes,
                pipeline,
                new NodeStats.Isolation(
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong()),
                new NodeStats.Exposure(
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        randomNonNegativeLong(),
                        new NodeStats.Ledgers(
                                randomNonNegativeLong(), randomNonNegativeLong(), randomNonNegativeLong())));
    }

    private static NodeStats.Inference randomInference() {
        return new NodeStats.Inference(
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomDistribution(),
                randomDistribution());
    }

    private static Distribution randomDistribution() {
        return new Distribution(
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong());
    }

    private static NodeStats.Cache randomCache() {
        return new NodeStats.Cache(
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomIntBetween(0, 1000),
                randomIntBetween(0, 1000),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong(),
                randomNonNegativeLong());
    }

    public void testWireRoundTrip() throws IOException {
        for (int i = 0; i < 20; i++) {
            NodeStats original = randomNodeStats();
            try (BytesStreamOutput out = new BytesStreamOutput()) {
                original.writeTo(out);
                try (StreamInput in = out.bytes().streamInput()) {
                    NodeStats read = new NodeStats(in);
                    assertEquals(original, read);
                    assertEquals("nothing left over", 0, in.available());
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    public void testJson() throws IOException {
        FairRescoreStats stats = new FairRescoreStats();
        stats.model(model("all-minilm-l6-v2-q", true, "model [all-minilm-l6-v2-q] cannot be loaded from [/m]"));
        stats.model(model("bge-small-en-v15-q", false, null));
        stats.inference("bge-small-en-v15-q", 1, 6, 2_000_000, true);
        stats.rescoreWindow("share", rotated(false), 5_000_000);
        XContentBuilder builder = JsonXContent.contentBuilder().startObject();
        stats.snapshot().toXContent(builder, ToXContent.EMPTY_PARAMS);
        builder.endObject();
        Map<String, Object> json = XContentHelper.convertToMap(JsonXContent.jsonXContent, builder.toString(), false);
        assertTrue("the default model could not be loaded", json.containsKey("model"));
        assertNull(json.get("model"));
        assertEquals("model [all-minilm-l6-v2-q] cannot be loaded from [/m]", json.get("model_error"));
        Map<String, Object> models = (Map<String, Object>) json.get("models");
        assertEquals(java.util.Set.of("all-minilm-l6-v2-q", "bge-small-en-v15-q"), models.keySet());
        Map<String, Object> bge = (Map<String, Object>) models.get("bge-small-en-v15-q");
        assertEquals(false, bge.get("default"));
        assertEquals(34_014_426, bge.get("memory_size_in_bytes"));
        assertFalse(bge.containsKey("error"));
        assertEquals(1, ((Map<String, Object>) bge.get("inference")).get("texts"));
        assertEquals(
                "model [all-minilm-l6-v2-q] cannot be loaded from [/m]",
                ((Map<String, Object>) models.get("all-minilm-l6-v2-q")).get("error"));
        Map<String, Object> inference = (Map<String, Object>) json.get("inference");
        assertEquals(1, inference.get("batches"));
        assertEquals(6, inference.get("tokens"));
        assertEquals(2000, ((Map<String, Object>) inference.get("latency")).get("max_in_micros"));
        assertEquals(1, ((Map<String, Object>) inference.get("batch_size")).get("p50"));
        Map<String, Object> quota = (Map<String, Object>) ((Map<String, Object>) json.get("quota")).get("rescore");
        assertEquals(
                Map.of(
                        "windows",
                        1,
                        "hits",
                        3,
                        "moved",
                        3,
                        "unmet_windows",
                        1,
                        "diversified",
                        0,
                        "near_duplicates",
                        0,
                        "gave_way",
                        0),
                quota.get("share"));
        Map<String, Object> queryCache = (Map<String, Object>) json.get("query_cache");
        assertEquals(0.0, queryCache.get("hit_ratio"));
        assertEquals(0, queryCache.get("memory_size_in_bytes"));
        assertFalse(queryCache.containsKey("segments"));
        assertTrue(((Map<String, Object>) json.get("document_cache")).containsKey("segments"));
        assertEquals(0, ((Map<String, Object>) json.get("documents")).get("model_mismatch"));
        assertEquals(Map.of("over_budget", 0, "no_text", 0, "device", false), json.get("fallbacks"));
        assertEquals(Map.of("timeouts", 0, "cancelled", 0, "rejected", 0, "breaker_trips", 0), json.get("isolation"));
    }
}
