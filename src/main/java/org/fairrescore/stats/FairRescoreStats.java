package org.fairrescore.stats;

import org.fairrescore.fairness.Reordering;
import org.fairrescore.fairness.Trace;
import org.fairrescore.settings.FairRescoreSettings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The counters of one node, created by the plugin and handed to what records into it (the models' inference calls, the
 * rescorer, the search pipeline) and to the stats action that reads it. Every counter is a {@link LongAdder} or a
 * lock-free {@link Histogram}: recording never blocks a search. The caches, the vector reader and the ingest processor
 * keep their own counters; the plugin binds suppliers of their readings, so this package depends on none of them.
 */
public final class FairRescoreStats {

    /** Where the readings of the node's caches, vector reader and ingest processor come from; bound at node start. */
    public record Sources(
            Supplier<NodeStats.Cache> queryCache,
            Supplier<NodeStats.Cache> documentCache,
            Supplier<NodeStats.Documents> documents,
            Supplier<NodeStats.Ingest> ingest,
            Supplier<NodeStats.Ledgers> ledgers) {}

    private static final class QuotaCounters {
        final LongAdder windows = new LongAdder();
        final LongAdder hits = new LongAdder();
        final LongAdder moved = new LongAdder();
        final LongAdder unmet = new LongAdder();
        final LongAdder diversified = new LongAdder();
        final LongAdder nearDuplicates = new LongAdder();
        final LongAdder gaveWay = new LongAdder();

        void record(Reordering reordering) {
            windows.increment();
            hits.add(reordering.order().length);
            moved.add(reordering.moved());
            if (reordering.quotaMet() == false) {
                unmet.increment();
            }
            Trace trace = reordering.trace();
            if (trace != null) {
                int div = 0;
                int dup = 0;
                int broken = 0;
                for (int p = 0; p < trace.size(); p++) {
                    Trace.Step step = trace.step(p);
                    if (step.diversified()) div++;
                    if (step.duplicateOf() >= 0) dup++;
                    if (step.gaveWay().isEmpty() == false) broken++;
                }
                diversified.add(div);
                nearDuplicates.add(dup);
                gaveWay.add(broken);
            }
        }

        NodeStats.QuotaCounts read() {
            return new NodeStats.QuotaCounts(
                    windows.sum(),
                    hits.sum(),
                    moved.sum(),
                    unmet.sum(),
                    diversified.sum(),
                    nearDuplicates.sum(),
                    gaveWay.sum());
        }
    }

    /** Inference calls of one model, or of all together. */
    private static final class InferenceCounters {
        final LongAdder batches = new LongAdder();
        final LongAdder texts = new LongAdder();
        final LongAdder tokens = new LongAdder();
        final LongAdder failures = new LongAdder();
        final Histogram batchSizes = new Histogram();
        final Histogram micros = new Histogram();

        void record(int batch, long batchTokens, long nanos, boolean succeeded) {
            batches.increment();
            if (succeeded == false) {
                failures.increment();
                return;
            }
            texts.add(batch);
            tokens.add(batchTokens);
            batchSizes.record(batch);
            micros.record(TimeUnit.NANOSECONDS.toMicros(nanos));
        }

        NodeStats.Inference read() {
            return new NodeStats.Inference(
                    batches.sum(), texts.sum(), tokens.sum(), failures.sum(), batchSizes.snapshot(), micros.snapshot());
        }
    }

    private volatile Sources sources;
    private final Map<String, NodeStats.ModelInfo> models = new ConcurrentHashMap<>();
    private final Map<String, InferenceCounters> modelInference = new ConcurrentHashMap<>();
    private final InferenceCounters inference = new InferenceCounters();

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

    private final LongAdder exposureWindows = new LongAdder();
    private final LongAdder boostedUp = new LongAdder();
    private final LongAdder boostedDown = new LongAdder();
    private final LongAdder servedSearches = new LongAdder();
    private final LongAdder servedHits = new LongAdder();
    private final LongAdder impressions = new LongAdder();
    private final LongAdder clicks = new LongAdder();
    private final LongAdder rejectedLines = new LongAdder();
    private final LongAdder syncs = new LongAdder();
    private final LongAdder syncFailures = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder persisted = new LongAdder();
    private final LongAdder persistFailures = new LongAdder();

    private static Map<String, QuotaCounters> modes() {
        Map<String, QuotaCounters> modes = new ConcurrentHashMap<>();
        for (String mode : FairRescoreSettings.MODES) {
            modes.put(mode, new QuotaCounters());
        }
        return modes;
    }

    /** Connects the readings of the node's caches, vector reader and ingest processor. Called once, at node start. */
    public void bind(Sources sources) {
        if (this.sources != null) {
            throw new IllegalStateException("fair-rescore stats are already bound");
        }
        this.sources = sources;
    }

    /** Adds one of the node's models (at node start, loaded or not). */
    public void model(NodeStats.ModelInfo model) {
        models.put(model.id(), model);
        modelInference.computeIfAbsent(model.id(), id -> new InferenceCounters());
    }

    /** One inference call of {@code model}: {@code batch} texts of {@code tokens} real tokens in all, {@code nanos} long. */
    public void inference(String model, int batch, long tokens, long nanos, boolean succeeded) {
        inference.record(batch, tokens, nanos, succeeded);
        InferenceCounters counters = modelInference.get(model);
        if (counters != null) {
            counters.record(batch, tokens, nanos, succeeded);
        }
    }

    /** A semantic window waited {@code nanos} for its query vector (0 when it was cached or already computed). */
    public void queryVectorWait(long nanos) {
        queryVectorWaitMicros.record(TimeUnit.NANOSECONDS.toMicros(nanos));
    }

    /** One shard's rescore window, reordered under {@code mode}, scored in {@code nanos}. */
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

    /** A rescore window that read its index's exposure view: {@code up} hits boosted up, {@code down} down. */
    public void exposureWindow(int up, int down) {
        exposureWindows.increment();
        boostedUp.add(up);
        boostedDown.add(down);
    }

    /** A search this node coordinated whose {@code hits} served ranks went into the exposure ledger. */
    public void servedSearch(int hits) {
        servedSearches.increment();
        servedHits.add(hits);
    }

    /** A {@code _feedback} request: impressions and clicks applied, lines rejected. */
    public void feedback(long appliedImpressions, long appliedClicks, long rejected) {
        impressions.add(appliedImpressions);
        clicks.add(appliedClicks);
        rejectedLines.add(rejected);
    }

    /** One sync of the exposure ledgers with the other nodes; failed when a node did not answer. */
    public void exposureSync(boolean succeeded) {
        syncs.increment();
        if (succeeded == false) {
            syncFailures.increment();
        }
    }

    /** Shops evicted from an exposure ledger by {@code fair_rescore.exposure.max_shops}. */
    public void exposureEvicted(int shops) {
        evicted.add(shops);
    }

    /** One write of an exposure ledger file. */
    public void ledgerPersisted(boolean succeeded) {
        (succeeded ? persisted : persistFailures).increment();
    }

    private static QuotaCounters quota(Map<String, QuotaCounters> modes, String mode) {
        return modes.computeIfAbsent(mode, m -> new QuotaCounters());
    }

    private static Map<String, NodeStats.QuotaCounts> read(Map<String, QuotaCounters> modes) {
        Map<String, NodeStats.QuotaCounts> out = new LinkedHashMap<>();
        for (String mode : FairRescoreSettings.MODES) {
            out.put(mode, modes.get(mode).read());
        }
        modes.keySet().stream()
                .filter(m -> out.containsKey(m) == false)
                .sorted()
                .forEach(m -> out.put(m, modes.get(m).read()));
        return Collections.unmodifiableMap(out);
    }

    /** A reading of every counter. */
    public NodeStats snapshot() {
        Sources s = sources;
        List<NodeStats.Model> modelStats = new ArrayList<>();
        models.values().stream()
                .sorted(Comparator.comparing((NodeStats.ModelInfo m) -> m.isDefault() == false)
                        .thenComparing(NodeStats.ModelInfo::id))
                .forEach(m -> modelStats.add(
                        new NodeStats.Model(m, modelInference.get(m.id()).read())));
        return new NodeStats(
                modelStats,
                inference.read(),
                new NodeStats.Rescore(
                        windows.sum(), windowHits.sum(), rescoreMicros.snapshot(), queryVectorWaitMicros.snapshot()),
                s == null ? NodeStats.Cache.EMPTY : s.queryCache().get(),
                s == null ? NodeStats.Cache.EMPTY : s.documentCache().get(),
                s == null ? NodeStats.Documents.EMPTY : s.documents().get(),
                s == null ? NodeStats.Ingest.EMPTY : s.ingest().get(),
                read(rescoreQuota),
                read(pipelineQuota),
                new NodeStats.Isolation(timeouts.sum(), cancelled.sum(), rejected.sum(), breakerTrips.sum()),
                new NodeStats.Exposure(
                        exposureWindows.sum(),
                        boostedUp.sum(),
                        boostedDown.sum(),
                        servedSearches.sum(),
                        servedHits.sum(),
                        impressions.sum(),
                        clicks.sum(),
                        rejectedLines.sum(),
                        syncs.sum(),
                        syncFailures.sum(),
                        evicted.sum(),
                        persisted.sum(),
                        persistFailures.sum(),
                        s == null ? NodeStats.Ledgers.EMPTY : s.ledgers().get()));
    }
}
