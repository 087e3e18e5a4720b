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
import java.util.List;
import java.util.Map;

/**
 * What one node's fair-rescore has done since it started: a reading of its {@link FairRescoreStats}, sent over the
 * wire by the stats action and rendered as the node's section of {@code GET _plugins/_fair_rescore/stats}.
 *
 * @param models        the node's models, its default model first (empty before the node has started)
 * @param inference     inference calls of all models together
 * @param isolation     inference given up on, refused or stopped (timeouts, cancellations, full queue, breaker)
 * @param exposure      the amortized exposure mode: boosts, what was recorded, the ledgers and their syncs
 */
public record NodeStats(
        List<Model> models,
        Inference inference,
        Rescore rescore,
        Cache queryCache,
        Cache documentCache,
        Documents documents,
        Ingest ingest,
        Map<String, QuotaCounts> rescoreQuota,
        Map<String, QuotaCounts> pipelineQuota,
        Isolation isolation,
        Exposure exposure)
        implements Writeable, ToXContentFragment {

    public NodeStats {
        models = List.copyOf(models);
    }

    /** The node's default model, or null before the node has started. */
    public Model defaultModel() {
        for (Model m : models) {
            if (m.isDefault()) {
                return m;
            }
        }
        return null;
    }

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

        void fields(XContentBuilder builder) throws IOException {
            builder.field("timeouts", timeouts);
            builder.field("cancelled", cancelled);
            builder.field("rejected", rejected);
            builder.field("breaker_trips", breakerTrips);
        }
    }

    /**
     * One of the node's embedding models as it is configured: where it runs, loaded ({@code error} null) or not and why
     * not ({@code error} names the model id and the file); {@code memoryBytes} is what its ONNX network holds, accounted
     * to the {@code fair_rescore} breaker.
     */
    public record ModelInfo(
            String id,
            boolean isDefault,
            int dims,
            int maxTokens,
            int maxBatch,
            int intraOpThreads,
            String device,
            String requestedDevice,
            long memoryBytes,
            String error)
            implements Writeable {
        public ModelInfo(StreamInput in) throws IOException {
            this(
                    in.readString(),
                    in.readBoolean(),
                    in.readVInt(),
                    in.readVInt(),
                    in.readVInt(),
                    in.readVInt(),
                    in.readString(),
                    in.readString(),
                    in.readVLong(),
                    in.readOptionalString());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(id);
            out.writeBoolean(isDefault);
            out.writeVInt(dims);
            out.writeVInt(maxTokens);
            out.writeVInt(maxBatch);
            out.writeVInt(intraOpThreads);
            out.writeString(device);
            out.writeString(requestedDevice);
            out.writeVLong(memoryBytes);
            out.writeOptionalString(error);
        }

        void fields(XContentBuilder builder) throws IOException {
            builder.field("id", id);
            builder.field("default", isDefault);
            builder.field("dims", dims);
            builder.field("max_tokens", maxTokens);
            builder.field("max_batch", maxBatch);
            builder.field("intra_op_threads", intraOpThreads);
            builder.field("device", device);
            builder.field("requested_device", requestedDevice);
            builder.humanReadableField("memory_size_in_bytes", "memory_size", new ByteSizeValue(memoryBytes));
            if (error != null) {
                builder.field("error", error);
            }
        }
    }

    /** One of the node's models and the counters of its inference calls. */
    public record Model(ModelInfo info, Inference inference) implements Writeable {
        public Model(StreamInput in) throws IOException {
            this(new ModelInfo(in), new Inference(in));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            info.writeTo(out);
            inference.writeTo(out);
        }

        public String id() {
            return info.id();
        }

        public boolean isDefault() {
            return info.isDefault();
        }

        public String error() {
            return info.error();
        }

        /** Whether the node asked for a GPU for this model and runs it on the CPU instead. */
        public boolean deviceFallback() {
            return info.error() == null && info.device().equals(info.requestedDevice()) == false;
        }

        void fields(XContentBuilder builder) throws IOException {
            info.fields(builder);
            object(builder, "inference", inference::fields);
        }
    }

    /**
     * ONNX Runtime calls: {@code batches} session runs (each over {@code batchSize} texts), {@code texts} inputs,
     * {@code tokens} real tokens (no padding), {@code failures} runs that threw, {@code latency} per run in µs.
     */
    public record Inference(
            long batches, long texts, long tokens, long failures, Distribution batchSize, Distribution latencyMicros)
            implements Writeable {
        public Inference(StreamInput in) throws IOException {
            this(
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    new Distribution(in),
                    new Distribution(in));
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

        void fields(XContentBuilder builder) throws IOException {
            builder.field("batches", batches);
            builder.field("texts", texts);
            builder.field("tokens", tokens);
            builder.field("failures", failures);
            batchSize.toXContent(builder, "batch_size", "");
            latencyMicros.toXContent(builder, "latency", "_in_micros");
        }
    }

    /**
     * Shard rescores: windows rescored, hits in them, time per window in µs (embedding, blend and quota), and of that
     * the time a window with a semantic weight waited for its query vector ({@code queryVectorWaitMicros}: 0 when it
     * was cached or ready, else the part of the query's inference the first pass did not hide).
     */
    public record Rescore(long windows, long hits, Distribution latencyMicros, Distribution queryVectorWaitMicros)
            implements Writeable {
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

        void fields(XContentBuilder builder) throws IOException {
            builder.field("windows", windows);
            builder.field("hits", hits);
            latencyMicros.toXContent(builder, "latency", "_in_micros");
            queryVectorWaitMicros.toXContent(builder, "query_vector_wait", "_in_micros");
        }
    }

    /** A vector cache: entries, bytes held and allowed, lookups, loads (computations), waits on concurrent loads. */
    public record Cache(
            long entries,
            long bytes,
            long limitBytes,
            long hits,
            long misses,
            long loads,
            long waits,
            long evictions,
            long segments)
            implements Writeable {
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
                    in.readVLong());
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

        void fields(XContentBuilder builder, boolean withSegments) throws IOException {
            builder.field("entries", entries);
            builder.humanReadableField("memory_size_in_bytes", "memory_size", new ByteSizeValue(bytes));
            builder.humanReadableField("limit_in_bytes", "limit", new ByteSizeValue(limitBytes));
            builder.field("hit_count", hits);
            builder.field("miss_count", misses);
            builder.field("hit_ratio", Math.round(hitRatio() * 10_000) / 10_000.0);
            builder.field("load_count", loads);
            builder.field("wait_count", waits);
            builder.field("evictions", evictions);
            if (withSegments) {
                builder.field("segments", segments);
            }
        }
    }

    /**
     * Window hits by where their vector came from: {@code stored} (the vector field), {@code onTheFly} (embedded from
     * text, now or from the document cache); {@code embeddedOnTheFly} documents actually embedded (cache misses);
     * {@code modelMismatch} stored vectors not scored because another model than the query's made them; and the hits
     * left with a neutral cosine because the on-the-fly budget was spent ({@code overBudget}) or they had no text
     * ({@code noText}).
     */
    public record Documents(
            long stored, long onTheFly, long embeddedOnTheFly, long modelMismatch, long overBudget, long noText)
            implements Writeable {
        public static final Documents EMPTY = new Documents(0, 0, 0, 0, 0, 0);

        public Documents(StreamInput in) throws IOException {
            this(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(stored);
            out.writeVLong(onTheFly);
            out.writeVLong(embeddedOnTheFly);
            out.writeVLong(modelMismatch);
            out.writeVLong(overBudget);
            out.writeVLong(noText);
        }

        void fields(XContentBuilder builder) throws IOException {
            builder.field("stored_vectors", stored);
            builder.field("on_the_fly_vectors", onTheFly);
            builder.field("embedded_on_the_fly", embeddedOnTheFly);
            builder.field("model_mismatch", modelMismatch);
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

        void fields(XContentBuilder builder) throws IOException {
            builder.field("embedded", embedded);
            builder.field("unchanged", unchanged);
            builder.field("no_text", noText);
            builder.field("failed", failed);
        }
    }

    /**
     * Quota reorders of one mode: windows reordered, hits in them, hits placed elsewhere than plain blend order
     * ({@code moved}), windows where the quota could not be met at some position ({@code unmetWindows}).
     */
    /**
     * The windows placed under one mode (a rule, a list of rules as {@code [cap,fair_topk]}, {@code +diversity} when
     * diversity was on): hits, hits moved, windows where a rule could not hold; and, from the placement's trace, the
     * hits moved up by diversity, the near duplicates set below the others and the positions where a rule gave way.
     */
    public record QuotaCounts(
            long windows, long hits, long moved, long unmetWindows, long diversified, long nearDuplicates, long gaveWay)
            implements Writeable {
        public static final QuotaCounts EMPTY = new QuotaCounts(0, 0, 0, 0);

        public QuotaCounts(long windows, long hits, long moved, long unmetWindows) {
            this(windows, hits, moved, unmetWindows, 0, 0, 0);
        }

        public QuotaCounts(StreamInput in) throws IOException {
            this(
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(windows);
            out.writeVLong(hits);
            out.writeVLong(moved);
            out.writeVLong(unmetWindows);
            out.writeVLong(diversified);
            out.writeVLong(nearDuplicates);
            out.writeVLong(gaveWay);
        }

        /** The counts of every mode, one object each. */
        static void fields(XContentBuilder builder, Map<String, QuotaCounts> modes) throws IOException {
            for (Map.Entry<String, QuotaCounts> e : modes.entrySet()) {
                QuotaCounts c = e.getValue();
                object(builder, e.getKey(), b -> {
                    b.field("windows", c.windows);
                    b.field("hits", c.hits);
                    b.field("moved", c.moved);
                    b.field("unmet_windows", c.unmetWindows);
                    b.field("diversified", c.diversified);
                    b.field("near_duplicates", c.nearDuplicates);
                    b.field("gave_way", c.gaveWay);
                });
            }
        }
    }

    /** The size of a node's exposure ledgers: indices, shop entries (its own and its copies of peers'), their heap. */
    public record Ledgers(long indices, long shops, long bytes) {
        public static final Ledgers EMPTY = new Ledgers(0, 0, 0);
    }

    /**
     * The amortized exposure mode on one node: rescore windows that read an exposure view ({@code windows}) and their
     * hits boosted up or down; searches this node coordinated whose served ranks it recorded, and their hits;
     * {@code _feedback} impressions, clicks and rejected lines it applied; syncs with the other nodes (and failed ones);
     * shops evicted by {@code fair_rescore.exposure.max_shops}; ledger files written (and failed writes); the ledgers'
     * size (accounted to the {@code fair_rescore} breaker).
     */
    public record Exposure(
            long windows,
            long boostedUp,
            long boostedDown,
            long servedSearches,
            long servedHits,
            long impressions,
            long clicks,
            long rejectedLines,
            long syncs,
            long syncFailures,
            long evicted,
            long persisted,
            long persistFailures,
            Ledgers ledgers)
            implements Writeable {
        public Exposure(StreamInput in) throws IOException {
            this(
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    in.readVLong(),
                    new Ledgers(in.readVLong(), in.readVLong(), in.readVLong()));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            for (long v : new long[] {
                windows,
                boostedUp,
                boostedDown,
                servedSearches,
                servedHits,
                impressions,
                clicks,
                rejectedLines,
                syncs,
                syncFailures,
                evicted,
                persisted,
                persistFailures,
                ledgers.indices(),
                ledgers.shops(),
                ledgers.bytes()
            }) {
                out.writeVLong(v);
            }
        }

        void fields(XContentBuilder builder) throws IOException {
            builder.field("windows", windows);
            builder.field("boosted_up", boostedUp);
            builder.field("boosted_down", boostedDown);
            builder.field("served_searches", servedSearches);
            builder.field("served_hits", servedHits);
            builder.field("feedback_impressions", impressions);
            builder.field("feedback_clicks", clicks);
            builder.field("feedback_rejected", rejectedLines);
            builder.field("syncs", syncs);
            builder.field("sync_failures", syncFailures);
            builder.field("evicted_shops", evicted);
            builder.field("persisted", persisted);
            builder.field("persist_failures", persistFailures);
            builder.field("ledger_indices", ledgers.indices());
            builder.field("ledger_shops", ledgers.shops());
            builder.humanReadableField("ledger_size_in_bytes", "ledger_size", new ByteSizeValue(ledgers.bytes()));
        }
    }

    public NodeStats(StreamInput in) throws IOException {
        this(
                in.readList(Model::new),
                new Inference(in),
                new Rescore(in),
                new Cache(in),
                new Cache(in),
                new Documents(in),
                new Ingest(in),
                readModes(in),
                readModes(in),
                new Isolation(in),
                new Exposure(in));
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
        out.writeList(models);
        inference.writeTo(out);
        rescore.writeTo(out);
        queryCache.writeTo(out);
        documentCache.writeTo(out);
        documents.writeTo(out);
        ingest.writeTo(out);
        writeModes(out, rescoreQuota);
        writeModes(out, pipelineQuota);
        isolation.writeTo(out);
        exposure.writeTo(out);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        // "model": the default model, as one-model nodes reported it; "models": every model the node loads
        Model model = defaultModel();
        if (model == null || model.error() != null) {
            builder.nullField("model");
            if (model != null) {
                builder.field("model_error", model.error());
            }
        } else {
            object(builder, "model", model::fields);
        }
        builder.startObject("models");
        for (Model m : models) {
            object(builder, m.id(), m::fields);
        }
        builder.endObject();
        object(builder, "inference", inference::fields);
        object(builder, "rescore", rescore::fields);
        object(builder, "query_cache", b -> queryCache.fields(b, false));
        object(builder, "document_cache", b -> documentCache.fields(b, true));
        object(builder, "documents", documents::fields);
        object(builder, "ingest", ingest::fields);
        object(builder, "quota", b -> {
            object(b, "rescore", m -> QuotaCounts.fields(m, rescoreQuota));
            object(b, "pipeline", m -> QuotaCounts.fields(m, pipelineQuota));
        });
        object(builder, "fallbacks", b -> {
            b.field("over_budget", documents.overBudget());
            b.field("no_text", documents.noText());
            b.field("device", models.stream().anyMatch(Model::deviceFallback));
        });
        object(builder, "isolation", isolation::fields);
        object(builder, "exposure", exposure::fields);
        return builder;
    }

    /** Writes the fields of one section into an object named {@code name}. */
    @FunctionalInterface
    interface Fields {
        void write(XContentBuilder builder) throws IOException;
    }

    private static void object(XContentBuilder builder, String name, Fields fields) throws IOException {
        builder.startObject(name);
        fields.write(builder);
        builder.endObject();
    }
}
