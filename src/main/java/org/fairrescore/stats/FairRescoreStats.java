package org.fairrescore.stats;

import org.fairrescore.embed.DocumentEmbeddingCache;
import org.fairrescore.embed.Encoding;
import org.fairrescore.embed.InferenceDevice;
import org.fairrescore.embed.OnnxEmbedder;
import org.fairrescore.embed.QueryEmbeddingCache;
import org.fairrescore.embed.VectorCache;
import org.fairrescore.fairness.Reordering;
import org.fairrescore.rescore.DocumentVectors;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.vectors.EmbedProcessor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one node, created by the plugin and handed to what records into it (the embedder, the rescorer,
 * the search pipeline) and to the stats action that reads it. Every counter is a {@link LongAdder} or a lock-free
 * {@link Histogram}: recording never blocks a search. The caches and the vector reader keep their own counters; this
 * holder reads them when asked for a {@link #snapshot()}.
 */
public final class FairRescoreStats implements OnnxEmbedder.BatchListener {

    /** What the node wired at start; read only by {@link #snapshot()}. */
    private record Sources(
        OnnxEmbedder model,
        int intraOpThreads,
        InferenceDevice requestedDevice,
        QueryEmbeddingCache queryCache,
        DocumentVectors documentVectors,
        EmbedProcessor.Counters ingest
    ) {}

    private static final class QuotaCounters {
        final LongAdder windows = new LongAdder();
        final LongAdder hits = new LongAdder();
        final LongAdder moved = new LongAdder();
        final LongAdder unmet = new LongAdder();

        void record(Reordering reordering) {
            windows.increment();
            hits.add(reordering.order().length);
            moved.add(reordering.moved());
            if (reordering.quotaMet() == false) {
                unmet.increment();
            }
        }

        NodeStats.QuotaCounts read() {
            return new NodeStats.QuotaCounts(windows.sum(), hits.sum(), moved.sum(), unmet.sum());
        }
    }

    private volatile Sources sources;

    private final LongAdder batches = new LongAdder();
    private final LongAdder texts = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Histogram batchSizes = new Histogram();
    private final Histogram inferenceMicros = new Histogram();

    private final LongAdder windows = new LongAdder();
    private final LongAdder windowHits = new LongAdder();
    private final Histogram rescoreMicros = new Histogram();
    private final Histogram queryVectorWaitMicros = new Histogram();

    private final Map<String, QuotaCounters> rescoreQuota = modes();
    private final Map<String, QuotaCounters> pipelineQuota = modes();

    private final LongAdder timeouts = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder breakerTrips = new LongAdder();
    private volatile String modelError;

    private static Map<String, QuotaCounters> modes() {
        Map<String, QuotaCounters> modes = new ConcurrentHashMap<>();
        for (String mode : FairRescoreSettings.MODES) {
            modes.put(mode, new QuotaCounters());
        }
        return modes;
    }

    /**
     * Connects the node's model (null when it could not be loaded), caches and counters, and makes the model report
     * its inference calls here. Called once, at node start.
     */
    public void bind(
        OnnxEmbedder model,
        int intraOpThreads,
        InferenceDevice requestedDevice,
        QueryEmbeddingCache queryCache,
        DocumentVectors documentVectors,
        EmbedProcessor.Counters ingest
    ) {
        if (sources != null) {
            throw new IllegalStateException("fair-rescore stats are already bound to a model");
        }
        sources = new Sources(model, intraOpThreads, requestedDevice, queryCache, documentVectors, ingest);
        if (model != null) {
            model.batchListener(this);
        }
    }

    @Override
    public void onBatch(List<Encoding> batch, long nanos, boolean succeeded) {
        batches.increment();
        if (succeeded == false) {
            failures.increment();
            return;
        }
        int n = batch.size();
        long t = 0;
        for (Encoding e : batch) {
            t += e.length();
        }
        texts.add(n);
        tokens.add(t);
        batchSizes.record(n);
        inferenceMicros.record(TimeUnit.NANOSECONDS.toMicros(nanos));
    }

    /** One shard's rescore window, reordered under {@code mode}, scored in {@code nanos}. */
    /** A semantic window waited {@code nanos} for its query vector (0 when it was cached or already computed). */
    public void queryVectorWait(long nanos) {
        queryVectorWaitMicros.record(TimeUnit.NANOSECONDS.toMicros(nanos));
    }

    public void rescoreWindow(String mode, Reordering reordering, long nanos) {
        windows.increment();
        windowHits.add(reordering.order().length);
        rescoreMicros.record(TimeUnit.NANOSECONDS.toMicros(nanos));
        quota(rescoreQuota, mode).record(reordering);
    }

    /** The search pipeline's reorder of the merged window under {@code mode}. */
    public void pipelineWindow(String mode, Reordering reordering) {
        quota(pipelineQuota, mode).record(reordering);
    }

    /** A shard window scored without cosines because its inference ran past {@code fair_rescore.inference.timeout}. */
    public void timeout() {
        timeouts.increment();
    }

    /** A shard window whose search was cancelled while its inference was pending. */
    public void cancelled() {
        cancelled.increment();
    }

    /** Inference refused because the inference pool's queue was full. */
    public void rejected() {
        rejected.increment();
    }

    /** A request refused by the {@code fair_rescore} circuit breaker. */
    public void breakerTripped() {
        breakerTrips.increment();
    }

    /** Records that the node's model could not be loaded (the node runs without one). */
    public void modelFailed(String message) {
        this.modelError = message;
    }

    private static QuotaCounters quota(Map<String, QuotaCounters> modes, String mode) {
        return modes.computeIfAbsent(mode, m -> new QuotaCounters());
    }

    private static Map<String, NodeStats.QuotaCounts> read(Map<String, QuotaCounters> modes) {
        Map<String, NodeStats.QuotaCounts> out = new LinkedHashMap<>();
        for (String mode : FairRescoreSettings.MODES) {
            out.put(mode, modes.get(mode).read());
        }
        modes.keySet().stream().filter(m -> out.containsKey(m) == false).sorted().forEach(m -> out.put(m, modes.get(m).read()));
        return Collections.unmodifiableMap(out);
    }

    private static NodeStats.Cache cache(VectorCache.Stats s, long segments) {
        return new NodeStats.Cache(s.entries(), s.bytes(), s.maxBytes(), s.hits(), s.misses(), s.loads(), s.waits(), s.evictions(), segments);
    }

    /** A reading of every counter. */
    public NodeStats snapshot() {
        Sources s = sources;
        NodeStats.Model model = null;
        NodeStats.Cache queries = NodeStats.Cache.EMPTY;
        NodeStats.Cache documents = NodeStats.Cache.EMPTY;
        NodeStats.Documents vectors = new NodeStats.Documents(0, 0, 0);
        NodeStats.Ingest ingest = NodeStats.Ingest.EMPTY;
        long overBudget = 0;
        long noText = 0;
        boolean deviceFallback = false;
        if (s != null) {
            OnnxEmbedder m = s.model();
            model = m == null ? null : new NodeStats.Model(
                m.modelId(),
                m.dims(),
                m.maxTokens(),
                m.maxBatch(),
                s.intraOpThreads(),
                m.device().id(),
                s.requestedDevice().id()
            );
            deviceFallback = m != null && s.requestedDevice() != m.device();
            queries = cache(s.queryCache().stats(), 0);
            DocumentEmbeddingCache documentCache = s.documentVectors().cache();
            if (documentCache != null) {
                documents = cache(documentCache.stats(), documentCache.cachedSegments());
            }
            DocumentVectors.Counters c = s.documentVectors().counters();
            vectors = new NodeStats.Documents(c.stored(), c.onTheFly(), c.embedded());
            overBudget = c.overBudget();
            noText = c.noText();
            ingest = new NodeStats.Ingest(s.ingest().embedded(), s.ingest().unchanged(), s.ingest().noText(), s.ingest().failed());
        }
        return new NodeStats(
            model,
            new NodeStats.Inference(batches.sum(), texts.sum(), tokens.sum(), failures.sum(), batchSizes.snapshot(), inferenceMicros.snapshot()),
            new NodeStats.Rescore(windows.sum(), windowHits.sum(), rescoreMicros.snapshot(), queryVectorWaitMicros.snapshot()),
            queries,
            documents,
            vectors,
            ingest,
            read(rescoreQuota),
            read(pipelineQuota),
            new NodeStats.Fallbacks(overBudget, noText, deviceFallback),
            new NodeStats.Isolation(timeouts.sum(), cancelled.sum(), rejected.sum(), breakerTrips.sum()),
            modelError
        );
    }
}
