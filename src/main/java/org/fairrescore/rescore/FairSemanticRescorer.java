package org.fairrescore.rescore;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.fairrescore.exposure.Credits;
import org.fairrescore.exposure.ExposureLedgers;
import org.fairrescore.exposure.ExposureView;
import org.fairrescore.fairness.GroupFairTopK;
import org.fairrescore.fairness.Placement;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.fairness.Reordering;
import org.fairrescore.fairness.WindowHits;
import org.fairrescore.model.CosineCalibration;
import org.fairrescore.model.InferenceBudget;
import org.fairrescore.model.InferenceInterruptedException;
import org.fairrescore.model.ModelUnavailableException;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.settings.ExposureSettings;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;
import org.opensearch.search.rescore.RescoreContext;
import org.opensearch.search.rescore.Rescorer;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code fair_semantic} rescorer: one stateless instance per node; per-request state lives in
 * {@link FairRescoreContext}. On each shard it takes the first-pass top window, blends the first-pass score with the
 * cosine between query and document vectors, and reorders the window under the index's per-shop cap.
 */
public final class FairSemanticRescorer implements Rescorer {

    private final Supplier<QueryModels> models;
    private final QuotaReorderer reorderer;
    private final Supplier<DocumentVectors> documentVectors;
    private final FairRescoreStats stats;
    private final Supplier<RequestMemory> memory;
    private final ExposureLedgers exposure;
    /** The shop, protected and group values of the window hits, by segment and ordinal, kept across searches. */
    private final SegmentKeywords keywords = new SegmentKeywords(SegmentKeywords.DEFAULT_MAX_SLOTS);

    private volatile long inferenceTimeoutNanos =
            FairRescoreSettings.INFERENCE_TIMEOUT.getDefault(Settings.EMPTY).nanos();

    /**
     * @param models          the node's models, available once the node has started (null before)
     * @param reorderer       the node's quota reorderer (shared with the search pipeline processor)
     * @param documentVectors the node's document-vector reader (stored vectors, on-the-fly budget and cache)
     * @param stats           the node's counters, which count every rescored window
     * @param memory          accounts each window's heap to the node's circuit breaker
     * @param exposure        the node's exposure ledgers: the views boosts are read from, where window merit goes
     */
    public FairSemanticRescorer(
            Supplier<QueryModels> models,
            QuotaReorderer reorderer,
            Supplier<DocumentVectors> documentVectors,
            FairRescoreStats stats,
            Supplier<RequestMemory> memory,
            ExposureLedgers exposure) {
        this.models = models;
        this.reorderer = reorderer;
        this.documentVectors = documentVectors;
        this.stats = stats;
        this.memory = memory;
        this.exposure = exposure;
    }

    /** Sets how long one shard request's inference may take ({@code fair_rescore.inference.timeout}). */
    public void inferenceTimeout(TimeValue timeout) {
        if (timeout.nanos() <= 0) {
            throw new IllegalArgumentException("inference timeout must be positive, got " + timeout);
        }
        this.inferenceTimeoutNanos = timeout.nanos();
    }

    /** How long one shard request's inference may take. */
    public TimeValue inferenceTimeout() {
        return TimeValue.timeValueNanos(inferenceTimeoutNanos);
    }

    /** The node's document-vector reader, with its counters. */
    public DocumentVectors documentVectors() {
        DocumentVectors v = documentVectors.get();
        if (v == null) {
            throw new IllegalStateException("fair_semantic: document vectors are not set up on this node yet");
        }
        return v;
    }

    /** The node's models. */
    QueryModels models() {
        QueryModels m = models.get();
        if (m == null) {
            throw new IllegalStateException("fair_semantic: the embedding models are not loaded on this node yet");
        }
        return m;
    }

    @Override
    public TopDocs rescore(TopDocs topDocs, IndexSearcher searcher, RescoreContext rescoreContext) throws IOException {
        FairRescoreContext context = (FairRescoreContext) rescoreContext;
        if (topDocs == null || topDocs.scoreDocs.length == 0) {
            return topDocs;
        }
        ScoreDoc[] hits = topDocs.scoreDocs;
        int n = Math.min(context.getWindowSize(), hits.length);
        long start = System.nanoTime();
        ScoredWindow window = score(Arrays.copyOf(hits, n), searcher, context);
        stats.rescoreWindow(statsKey(context), window.reordering(), System.nanoTime() - start);
        recordMerit(window, context.exposure());
        context.window(window);

        ScoreDoc[] rescored = new ScoreDoc[hits.length];
        int[] order = window.reordering().order();
        Set<Integer> windowDocs = new HashSet<>();
        for (int p = 0; p < n; p++) {
            ScoreDoc hit = hits[order[p]];
            rescored[p] = new ScoreDoc(hit.doc, window.finalScores()[p], hit.shardIndex);
            windowDocs.add(hit.doc);
        }
        for (int i = n; i < hits.length; i++) {
            ScoreDoc hit = hits[i];
            rescored[i] =
                    new ScoreDoc(hit.doc, Blend.firstPass(hit.score, context.firstPassSaturation()), hit.shardIndex);
        }
        context.setRescoredDocs(windowDocs);
        return new TopDocs(topDocs.totalHits, rescored);
    }

    /**
     * The stats key of a window: its policy's mode ({@code cap}, {@code [cap,fair_topk]}), with {@code +diversity}
     * when diversity was on.
     */
    static String statsKey(FairRescoreContext context) {
        String mode = context.policy().mode();
        return context.diversity().isActive() ? mode + "+diversity" : mode;
    }

    /**
     * Scores and reorders a window given in first-pass order, its heap reserved on the node's circuit breaker while
     * it is scored.
     */
    ScoredWindow score(ScoreDoc[] window, IndexSearcher searcher, FairRescoreContext context) throws IOException {
        RequestMemory accounting = memory.get();
        if (context.model() != null) {
            Embeddings model = context.model().embeddings();
            accounting = accounting.forModel(model.dims(), model.maxTokens());
        }
        int n = window.length;
        int onTheFly =
                context.semanticWeight() > 0f ? Math.min(n, documentVectors().maxOnTheFly()) : 0;
        long reserved;
        try {
            long bytes = accounting.window(n, onTheFly);
            if (context.diversity().isActive() && context.model() != null && context.semanticWeight() > 0f) {
                bytes += (16L + 4L * context.model().embeddings().dims()) * n; // the vectors diversity keeps
            }
            reserved = accounting.reserve(bytes, "fair_semantic window of " + n + " hits");
        } catch (CircuitBreakingException e) {
            stats.breakerTripped();
            throw e;
        }
        try {
            return scoreWithin(window, searcher, context);
        } catch (ModelUnavailableException e) {
            throw new OpenSearchStatusException("fair_semantic: " + e.getMessage(), RestStatus.SERVICE_UNAVAILABLE);
        } finally {
            accounting.release(reserved);
        }
    }

    private ScoredWindow scoreWithin(ScoreDoc[] window, IndexSearcher searcher, FairRescoreContext context)
            throws IOException {
        int n = window.length;
        int[] docs = new int[n];
        float[] firstPass = new float[n];
        float[] lexical = new float[n];
        for (int i = 0; i < n; i++) {
            docs[i] = window[i].doc;
            firstPass[i] = window[i].score;
            lexical[i] = Blend.firstPass(window[i].score, context.firstPassSaturation());
        }

        DocumentVectors.Window vectors;
        float weight = context.semanticWeight();
        if (weight > 0f) {
            Embeddings model = context.model().embeddings();
            InferenceBudget budget = InferenceBudget.start(inferenceTimeoutNanos, context.cancelled());
            try {
                float[] query;
                long waitStart = System.nanoTime();
                try {
                    query = context.queryVector(budget);
                } finally {
                    stats.queryVectorWait(System.nanoTime() - waitStart);
                }
                vectors = documentVectors()
                        .read(
                                searcher.getIndexReader(),
                                docs,
                                context.vectorField(),
                                context.fields(),
                                model,
                                query,
                                budget,
                                context.diversity().isActive());
            } catch (InferenceInterruptedException e) {
                if (e.reason() == InferenceInterruptedException.Reason.CANCELLED) {
                    stats.cancelled();
                    throw new TaskCancelledException("fair_semantic: " + e.getMessage());
                }
                // Out of time: the window is scored by its first-pass score alone (the quota still applies).
                stats.timeout();
                vectors = DocumentVectors.Window.timedOut(n);
                weight = 0f;
            }
        } else {
            vectors = DocumentVectors.Window.none(n);
        }
        float[] cosine = vectors.cosines();

        float[] blend = new float[n];
        CosineCalibration calibration = context.model() == null
                ? CosineCalibration.FULL_RANGE
                : context.model().embeddings().calibration();
        for (int i = 0; i < n; i++) {
            // A hit without a vector (no stored one, no text, or over the on-the-fly budget) gets a neutral cosine 0.
            blend[i] = Blend.blend(lexical[i], calibration.semantic(cosine[i]), weight);
        }

        ResolvedQuota quota = context.quota();
        IndexReader reader = searcher.getIndexReader();
        boolean composite = context.composite();
        String[] keys;
        String[] protectedKeys = null;
        String[] groupKeys = null;
        if (composite == false) {
            // one rule (or none): its own reorderer, as always; an inactive quota (e.g. max_per_shop 0) reads no field
            keys = quota.policy().isActive() && quota.field() != null
                    ? keywords.read(reader, docs, quota.field())
                    : null;
        } else {
            // several rules and/or diversity: each field the rules read, each read once
            Map<String, String[]> read = new HashMap<>();
            boolean active = quota.policy().isActive();
            keys = active && quota.shopField() != null ? readOnce(read, reader, docs, quota.shopField()) : null;
            protectedKeys = active && quota.protectedField() != null
                    ? readOnce(read, reader, docs, quota.protectedField())
                    : null;
            groupKeys = active && quota.groupField() != null ? readOnce(read, reader, docs, quota.groupField()) : null;
        }
        ExposurePlan plan = context.exposure();
        String[] exposureShops = null;
        if (plan != null && plan.shopField() != null) {
            // the quota's shop field is the index's shop field too: read once
            exposureShops = keys != null && plan.shopField().equals(quota.shopField())
                    ? keys
                    : keywords.read(reader, docs, plan.shopField());
        }
        ExposureView view = null;
        float[] boosts = null;
        float[] ranked = blend;
        if (exposureShops != null) {
            view = exposure.view(plan.index());
            boosts = new float[n];
            ranked = new float[n];
            ExposureSettings settings = plan.settings();
            for (int i = 0; i < n; i++) {
                boosts[i] = (float) view.boost(exposureShops[i], settings.target(), settings.strength());
                // stays in [0, 1]: window hits (1 + blend) still rank above the hits outside the window
                ranked[i] = Math.max(0f, Math.min(1f, blend[i] + boosts[i]));
            }
        }
        Placement placement;
        if (composite) {
            WindowHits hits = WindowHits.of(ranked).withShops(keys);
            if (protectedKeys != null) {
                hits = hits.withProtected(protectedKeys, quota.protectedValue());
            }
            GroupFairTopK groups = groupRule(quota.policy());
            if (groups != null && groupKeys != null) {
                hits = hits.withGroups(groupKeys, groups.groups());
            }
            if (context.diversity().isActive() && vectors.vectors() != null) {
                hits = hits.withVectors(vectors.vectors()); // the window's own vectors: no extra inference
            }
            placement = reorderer.place(hits, quota.policy(), context.diversity());
        } else {
            placement = reorderer.place(ranked, keys, quota.protectedValue(), quota.policy());
        }
        String[] shops = quota.shopField() != null && keys != null
                ? keys
                : exposureShops != null ? exposureShops : new String[n];
        Reordering reordering = placement.reordering();
        return new ScoredWindow(
                docs,
                firstPass,
                lexical,
                cosine,
                vectors,
                blend,
                shops,
                placement.protectedHits(),
                reordering,
                reordering.positions(),
                placement.scores(),
                exposureShops == null ? null : new ScoredWindow.Exposure(view, boosts, ranked),
                groupKeys);
    }

    private String[] readOnce(Map<String, String[]> read, IndexReader reader, int[] docs, String field)
            throws IOException {
        String[] values = read.get(field);
        if (values == null) {
            values = keywords.read(reader, docs, field);
            read.put(field, values);
        }
        return values;
    }

    /** The multi-group minimums among the policy's rules, or null. */
    static GroupFairTopK groupRule(QuotaPolicy policy) {
        for (QuotaPolicy rule : ResolvedQuota.rules(policy)) {
            if (rule instanceof GroupFairTopK g) {
                return g;
            }
        }
        return null;
    }

    /**
     * Credits the window's shops with their share of this search's merit (the raw blend, before boosts: merit is the
     * relevance found, not the exposure owed), and counts the hits the boost moved. Only the query phase records; the
     * window explain rebuilds is not recorded again.
     */
    private void recordMerit(ScoredWindow window, ExposurePlan plan) {
        if (plan == null || window.exposure() == null) {
            return;
        }
        int evicted = exposure.credit(
                plan.index(),
                Credits.window(window.shops(), window.blend(), plan.meritShare()),
                System.currentTimeMillis(),
                plan.settings().decay());
        stats.exposureEvicted(evicted);
        int up = 0;
        int down = 0;
        for (float b : window.exposure().boosts()) {
            if (b > 0f) {
                up++;
            } else if (b < 0f) {
                down++;
            }
        }
        stats.exposureWindow(up, down);
    }

    @Override
    public Explanation explain(
            int topLevelDocId, IndexSearcher searcher, RescoreContext rescoreContext, Explanation sourceExplanation)
            throws IOException {
        FairRescoreContext context = (FairRescoreContext) rescoreContext;
        ScoredWindow window = context.window();
        if (window == null && context.firstPassQuery() != null) {
            // The fetch phase runs on a fresh context: rebuild the window from the same reader and query.
            TopDocs firstPass = searcher.search(context.firstPassQuery(), context.getWindowSize());
            window = score(firstPass.scoreDocs, searcher, context);
            context.window(window);
        }
        int i = window == null ? -1 : window.indexOf(topLevelDocId);
        if (i < 0) {
            float first =
                    sourceExplanation.isMatch() ? sourceExplanation.getValue().floatValue() : 0f;
            float k = context.firstPassSaturation();
            return Explanation.match(
                    Blend.firstPass(first, k),
                    String.format(
                            Locale.ROOT,
                            "fair_semantic: outside the rescore window of %d, first-pass score s/(s+%s)",
                            context.getWindowSize(),
                            k),
                    sourceExplanation);
        }
        QueryModels loaded = models.get();
        ScoredWindow scored = window;
        return FairSemanticExplanation.of(
                window,
                i,
                context,
                sourceExplanation,
                inferenceTimeout(),
                reorderer,
                loaded == null ? List.of() : loaded.loaded(),
                j -> idOf(searcher, scored.docs()[j]));
    }

    /** The {@code _id} of a top-level doc (for "near duplicate of"), or its Lucene doc id where it has none. */
    static String idOf(IndexSearcher searcher, int doc) {
        try {
            Document stored = searcher.storedFields().document(doc, Set.of(IdFieldMapper.NAME));
            BytesRef id = stored.getBinaryValue(IdFieldMapper.NAME);
            return id == null ? "doc " + doc : Uid.decodeId(id.bytes, id.offset, id.length);
        } catch (IOException | RuntimeException e) {
            return "doc " + doc;
        }
    }
}
