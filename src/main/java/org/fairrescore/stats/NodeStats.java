package org.fairrescore.stats;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one node's fair-rescore has done since it started: a reading of its {@link FairRescoreStats}, sent over the
 * wire by the stats action and rendered as the node's section of {@code GET _plugins/_fair_rescore/stats}.
 *
 * @param model         the node's model, or null before the node has loaded it or when it could not be loaded
 * @param modelError    why the node's model could not be loaded (naming the model id and the file), or null
 * @param isolation     inference given up on, refused or stopped (timeouts, cancellations, full queue, breaker)
 */
public record NodeStats(
    Model model,
    Inference inference,
    Rescore rescore,
    Cache queryCache,
    Cache documentCache,
    Documents documents,
    Ingest ingest,
    Map<String, QuotaCounts> rescoreQuota,
    Map<String, QuotaCounts> pipelineQuota,
    Fallbacks fallbacks,
    Isolation isolation,
    String modelError
) implements Writeable, ToXContentFragment {

    /**
     * Inference isolation: shard windows scored without cosines because inference ran past
     * {@code fair_rescore.inference.timeout} ({@code timeouts}), windows whose search was cancelled while inference
     * was pending ({@code cancelled}), inference refused because the {@code fair_rescore_inference} queue was full
     * ({@code rejected}, answered 429) and requests refused by the {@code fair_rescore} circuit breaker
     * ({@code breakerTrips}, answered 429).
     */
    public record Isolation(long timeouts, long cancelled, long rejected, long breakerTrips) implements Writeable {
        public Isolation(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(timeouts);
            out.writeVLong(cancelled);
            out.writeVLong(rejected);
            out.writeVLong(breakerTrips);
        }
    }

    /** The node's embedding model and where it runs. */
    public record Model(String id, int dims, int maxTokens, int maxBatch, int intraOpThreads, String device, String requestedDevice)
        implements
            Writeable {
        public Model(StreamInput in) throws IOException {
            this(in.readString(), in.readVInt(), in.readVInt(), in.readVInt(), in.readVInt(), in.readString(), in.readString());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(id);
            out.writeVInt(dims);
            out.writeVInt(maxTokens);
            out.writeVInt(maxBatch);
            out.writeVInt(intraOpThreads);
            out.writeString(device);
            out.writeString(requestedDevice);
        }
    }

    /**
     * ONNX Runtime calls: {@code batches} session runs (each over {@code batchSize} texts), {@code texts} inputs,
     * {@code tokens} real tokens (no padding), {@code failures} runs that threw, {@code latency} per run in µs.
     */
    public record Inference(long batches, long texts, long tokens, long failures, Distribution batchSize, Distribution latencyMicros)
        implements
            Writeable {
        public Inference(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong(), new Distribution(in), new Distribution(in));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(batches);
            out.writeVLong(texts);
            out.writeVLong(tokens);
            out.writeVLong(failures);
            batchSize.writeTo(out);
            latencyMicros.writeTo(out);
        }
    }

    /**
     * Shard rescores: windows rescored, hits in them, time per window in µs (embedding, blend and quota), and of that
     * the time a window with a semantic weight waited for its query vector ({@code queryVectorWaitMicros}: 0 when it
     * was cached or ready, else the part of the query's inference the first pass did not hide).
     */
    public record Rescore(long windows, long hits, Distribution latencyMicros, Distribution queryVectorWaitMicros) implements Writeable {
        public Rescore(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), new Distribution(in), new Distribution(in));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(windows);
            out.writeVLong(hits);
            latencyMicros.writeTo(out);
            queryVectorWaitMicros.writeTo(out);
        }
    }

    /** A vector cache: entries, bytes held and allowed, lookups, loads (computations), waits on concurrent loads. */
    public record Cache(long entries, long bytes, long limitBytes, long hits, long misses, long loads, long waits, long evictions, long segments)
        implements
            Writeable {
        public static final Cache EMPTY = new Cache(0, 0, 0, 0, 0, 0, 0, 0, 0);

        public Cache(StreamInput in) throws IOException {
            this(
                in.readVLong(),
                in.readVLong(),
                in.readVLong(),
                in.readVLong(),
                in.readVLong(),
                in.readVLong(),
                in.readVLong(),
                in.readVLong(),
                in.readVLong()
            );
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(entries);
            out.writeVLong(bytes);
            out.writeVLong(limitBytes);
            out.writeVLong(hits);
            out.writeVLong(misses);
            out.writeVLong(loads);
            out.writeVLong(waits);
            out.writeVLong(evictions);
            out.writeVLong(segments);
        }

        /** hits / (hits + misses), 0 before the first lookup. */
        public double hitRatio() {
            long lookups = hits + misses;
            return lookups == 0 ? 0 : (double) hits / lookups;
        }
    }

    /**
     * Window hits by where their vector came from: {@code stored} (the vector field), {@code onTheFly} (embedded from
     * text, now or from the document cache); {@code embeddedOnTheFly} documents actually embedded (cache misses).
     */
    public record Documents(long stored, long onTheFly, long embeddedOnTheFly) implements Writeable {
        public Documents(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(stored);
            out.writeVLong(onTheFly);
            out.writeVLong(embeddedOnTheFly);
        }
    }

    /** The {@code fair_rescore_embed} ingest processor's documents. */
    public record Ingest(long embedded, long unchanged, long noText, long failed) implements Writeable {
        public static final Ingest EMPTY = new Ingest(0, 0, 0, 0);

        public Ingest(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(embedded);
            out.writeVLong(unchanged);
            out.writeVLong(noText);
            out.writeVLong(failed);
        }
    }

    /**
     * Quota reorders of one mode: windows reordered, hits in them, hits placed elsewhere than plain blend order
     * ({@code moved}), windows where the quota could not be met at some position ({@code unmetWindows}).
     */
    public record QuotaCounts(long windows, long hits, long moved, long unmetWindows) implements Writeable {
        public static final QuotaCounts EMPTY = new QuotaCounts(0, 0, 0, 0);

        public QuotaCounts(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(windows);
            out.writeVLong(hits);
            out.writeVLong(moved);
            out.writeVLong(unmetWindows);
        }
    }

    /**
     * Degraded answers: window hits given a neutral cosine because the on-the-fly budget was spent
     * ({@code overBudget}) or they had no text ({@code noText}), and whether the node asked for a GPU and runs on the
     * CPU instead ({@code deviceFallback}).
     */
    public record Fallbacks(long overBudget, long noText, boolean deviceFallback) implements Writeable {
        public Fallbacks(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), in.readBoolean());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(overBudget);
            out.writeVLong(noText);
            out.writeBoolean(deviceFallback);
        }
    }

    public NodeStats(StreamInput in) throws IOException {
        this(
            in.readOptionalWriteable(Model::new),
            new Inference(in),
            new Rescore(in),
            new Cache(in),
            new Cache(in),
            new Documents(in),
            new Ingest(in),
            readModes(in),
            readModes(in),
            new Fallbacks(in),
            new Isolation(in),
            in.readOptionalString()
        );
    }

    private static Map<String, QuotaCounts> readModes(StreamInput in) throws IOException {
        int n = in.readVInt();
        Map<String, QuotaCounts> modes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            modes.put(in.readString(), new QuotaCounts(in));
        }
        return modes;
    }

    private static void writeModes(StreamOutput out, Map<String, QuotaCounts> modes) throws IOException {
        out.writeVInt(modes.size());
        for (Map.Entry<String, QuotaCounts> e : modes.entrySet()) {
            out.writeString(e.getKey());
            e.getValue().writeTo(out);
        }
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalWriteable(model);
        inference.writeTo(out);
        rescore.writeTo(out);
        queryCache.writeTo(out);
        documentCache.writeTo(out);
        documents.writeTo(out);
        ingest.writeTo(out);
        writeModes(out, rescoreQuota);
        writeModes(out, pipelineQuota);
        fallbacks.writeTo(out);
        isolation.writeTo(out);
        out.writeOptionalString(modelError);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        if (model == null) {
            builder.nullField("model");
            if (modelError != null) {
                builder.field("model_error", modelError);
            }
        } else {
            builder.startObject("model");
            builder.field("id", model.id());
            builder.field("dims", model.dims());
            builder.field("max_tokens", model.maxTokens());
            builder.field("max_batch", model.maxBatch());
            builder.field("intra_op_threads", model.intraOpThreads());
            builder.field("device", model.device());
            builder.field("requested_device", model.requestedDevice());
            builder.endObject();
        }

        builder.startObject("inference");
        builder.field("batches", inference.batches());
        builder.field("texts", inference.texts());
        builder.field("tokens", inference.tokens());
        builder.field("failures", inference.failures());
        inference.batchSize().toXContent(builder, "batch_size", "");
        inference.latencyMicros().toXContent(builder, "latency", "_in_micros");
        builder.endObject();

        builder.startObject("rescore");
        builder.field("windows", rescore.windows());
        builder.field("hits", rescore.hits());
        rescore.latencyMicros().toXContent(builder, "latency", "_in_micros");
        rescore.queryVectorWaitMicros().toXContent(builder, "query_vector_wait", "_in_micros");
        builder.endObject();

        cache(builder, "query_cache", queryCache, false);
        cache(builder, "document_cache", documentCache, true);

        builder.startObject("documents");
        builder.field("stored_vectors", documents.stored());
        builder.field("on_the_fly_vectors", documents.onTheFly());
        builder.field("embedded_on_the_fly", documents.embeddedOnTheFly());
        builder.endObject();

        builder.startObject("ingest");
        builder.field("embedded", ingest.embedded());
        builder.field("unchanged", ingest.unchanged());
        builder.field("no_text", ingest.noText());
        builder.field("failed", ingest.failed());
        builder.endObject();

        builder.startObject("quota");
        modes(builder, "rescore", rescoreQuota);
        modes(builder, "pipeline", pipelineQuota);
        builder.endObject();

        builder.startObject("fallbacks");
        builder.field("over_budget", fallbacks.overBudget());
        builder.field("no_text", fallbacks.noText());
        builder.field("device", fallbacks.deviceFallback());
        builder.endObject();

        builder.startObject("isolation");
        builder.field("timeouts", isolation.timeouts());
        builder.field("cancelled", isolation.cancelled());
        builder.field("rejected", isolation.rejected());
        builder.field("breaker_trips", isolation.breakerTrips());
        builder.endObject();
        return builder;
    }

    private static void cache(XContentBuilder builder, String name, Cache cache, boolean segments) throws IOException {
        builder.startObject(name);
        builder.field("entries", cache.entries());
        builder.humanReadableField("memory_size_in_bytes", "memory_size", new ByteSizeValue(cache.bytes()));
        builder.humanReadableField("limit_in_bytes", "limit", new ByteSizeValue(cache.limitBytes()));
        builder.field("hit_count", cache.hits());
        builder.field("miss_count", cache.misses());
        builder.field("hit_ratio", Math.round(cache.hitRatio() * 10_000) / 10_000.0);
        builder.field("load_count", cache.loads());
        builder.field("wait_count", cache.waits());
        builder.field("evictions", cache.evictions());
        if (segments) {
            builder.field("segments", cache.segments());
        }
        builder.endObject();
    }

    private static void modes(XContentBuilder builder, String name, Map<String, QuotaCounts> modes) throws IOException {
        builder.startObject(name);
        for (Map.Entry<String, QuotaCounts> e : modes.entrySet()) {
            builder.startObject(e.getKey());
            builder.field("windows", e.getValue().windows());
            builder.field("hits", e.getValue().hits());
            builder.field("moved", e.getValue().moved());
            builder.field("unmet_windows", e.getValue().unmetWindows());
            builder.endObject();
        }
        builder.endObject();
    }
}
