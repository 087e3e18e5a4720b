package org.fairrescore.rescore;

import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.fairrescore.embed.CosineCalibration;
import org.fairrescore.embed.InferenceBudget;
import org.fairrescore.embed.InferenceInterruptedException;
import org.fairrescore.embed.ModelUnavailableException;
import org.fairrescore.fairness.FairTopK;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.fairness.Reordering;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.vectors.VectorModel;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.search.rescore.RescoreContext;
import org.opensearch.search.rescore.Rescorer;

import java.io.IOException;
import java.util.ArrayList;
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
    private volatile long inferenceTimeoutNanos = FairRescoreSettings.INFERENCE_TIMEOUT.getDefault(Settings.EMPTY).nanos();

    /**
     * @param models          the node's models, available once the node has started (null before)
     * @param reorderer       the node's quota reorderer (shared with the search pipeline processor)
     * @param documentVectors the node's document-vector reader (stored vectors, on-the-fly budget and cache)
     * @param stats           the node's counters, which count every rescored window
     * @param memory          accounts each window's heap to the node's circuit breaker
     */
    public FairSemanticRescorer(
        Supplier<QueryModels> models,
        QuotaReorderer reorderer,
        Supplier<DocumentVectors> documentVectors,
        FairRescoreStats stats,
        Supplier<RequestMemory> memory
    ) {
        this.models = models;
        this.reorderer = reorderer;
        this.documentVectors = documentVectors;
        this.stats = stats;
        this.memory = memory;
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
        stats.rescoreWindow(context.policy().mode(), window.reordering(), System.nanoTime() - start);
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
            rescored[i] = new ScoreDoc(hit.doc, Blend.firstPass(hit.score, context.firstPassSaturation()), hit.shardIndex);
        }
        context.setRescoredDocs(windowDocs);
        return new TopDocs(topDocs.totalHits, rescored);
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
        int onTheFly = context.semanticWeight() > 0f ? Math.min(n, documentVectors().maxOnTheFly()) : 0;
        long reserved;
        try {
            reserved = accounting.reserve(accounting.window(n, onTheFly), "fair_semantic window of " + n + " hits");
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

    private ScoredWindow scoreWithin(ScoreDoc[] window, IndexSearcher searcher, FairRescoreContext context) throws IOException {
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
                vectors = documentVectors().read(searcher.getIndexReader(), docs, context.vectorField(), context.fields(), model, query, budget);
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
        CosineCalibration calibration = context.model() == null ? CosineCalibration.FULL_RANGE : context.model().embeddings().calibration();
        for (int i = 0; i < n; i++) {
            // A hit without a vector (no stored one, no text, or over the on-the-fly budget) gets a neutral cosine 0.
            blend[i] = Blend.blend(lexical[i], calibration.semantic(cosine[i]), weight);
        }

        ResolvedQuota quota = context.quota();
        boolean active = quota.policy().isActive(); // an inactive quota (e.g. max_per_shop 0) reads no keyword field
        String[] shops = new String[n];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = -1 - i; // hits without a shop form a group each
        }
        if (active && quota.shopField() != null) {
            shops = WindowReader.shops(searcher.getIndexReader(), docs, quota.shopField());
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if (shops[i] != null) {
                    groups[i] = ids.computeIfAbsent(shops[i], k -> ids.size());
                }
            }
        }
        boolean[] protectedHit = null;
        if (active && quota.protectedField() != null) {
            String[] marks = WindowReader.shops(searcher.getIndexReader(), docs, quota.protectedField());
            protectedHit = new boolean[n];
            for (int i = 0; i < n; i++) {
                protectedHit[i] = quota.protectedValue().equals(marks[i]);
            }
        }
        Reordering reordering = reorderer.apply(blend, groups, protectedHit, quota.policy());
        int[] order = reordering.order();
        float[] inOrder = new float[n];
        for (int p = 0; p < n; p++) {
            inOrder[p] = blend[order[p]];
        }
        float[] finalScores = Blend.windowScores(inOrder);
        return new ScoredWindow(docs, firstPass, lexical, cosine, vectors, blend, shops, protectedHit, reordering, reordering.positions(), finalScores);
    }

    @Override
    public Explanation explain(int topLevelDocId, IndexSearcher searcher, RescoreContext rescoreContext, Explanation sourceExplanation)
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
            float first = sourceExplanation.isMatch() ? sourceExplanation.getValue().floatValue() : 0f;
            float k = context.firstPassSaturation();
            return Explanation.match(
                Blend.firstPass(first, k),
                String.format(Locale.ROOT, "fair_semantic: outside the rescore window of %d, first-pass score s/(s+%s)", context.getWindowSize(), k),
                sourceExplanation
            );
        }
        return explainHit(window, i, context, sourceExplanation);
    }

    private Explanation explainHit(ScoredWindow window, int i, FairRescoreContext context, Explanation sourceExplanation) {
        boolean timedOut = window.vectors().timedOut();
        float weight = timedOut ? 0f : context.semanticWeight();
        float k = context.firstPassSaturation();
        List<Explanation> details = new ArrayList<>();
        details.add(Explanation.match(window.firstPass()[i], "first-pass score", sourceExplanation));
        details.add(Explanation.match(window.normalisedFirstPass()[i], String.format(Locale.ROOT, "first-pass normalised s/(s+%s)", k)));
        if (timedOut) {
            details.add(
                Explanation.match(
                    0f,
                    String.format(
                        Locale.ROOT,
                        "inference timed out: not finished within [%s]=%s, so the semantic score (weight %s) is skipped and the window "
                            + "keeps its first-pass order (the quota still applies)",
                        FairRescoreSettings.INFERENCE_TIMEOUT.getKey(),
                        inferenceTimeout(),
                        context.semanticWeight()
                    )
                )
            );
        } else if (weight > 0f) {
            QueryModel model = context.model();
            details.add(Explanation.match(window.cosine()[i], cosineSource(window.vectors(), i, context, model)));
            CosineCalibration calibration = model.embeddings().calibration();
            details.add(
                Explanation.match(
                    calibration.semantic(window.cosine()[i]),
                    String.format(Locale.ROOT, "semantic score, the cosine on model [%s]'s scale, clipped to [0, 1]: %s", model.id(), calibration)
                )
            );
        }
        details.add(
            Explanation.match(
                window.blend()[i],
                String.format(Locale.ROOT, "blend (1 - %s) * first-pass + %s * semantic", weight, weight)
            )
        );
        details.add(Explanation.match(window.finalScore(i), quotaDecision(window, i, context)));
        return Explanation.match(
            window.finalScore(i),
            String.format(Locale.ROOT, "fair_semantic: 1 + blend, made strictly decreasing in the quota order; position %d (first pass %d)",
                window.positions()[i] + 1, i + 1),
            details
        );
    }

    private String cosineSource(DocumentVectors.Window vectors, int i, FairRescoreContext context, QueryModel model) {
        String field = context.vectorField();
        Long foreign = vectors.foreign().get(i);
        String missing = field == null ? "the index names no vector field"
            : foreign != null ? "the vector stored in [" + field + "] was made by " + madeBy(foreign) + ", not by the query's model, so it is not compared"
            : "no vector stored in [" + field + "]";
        return switch (vectors.sources()[i]) {
            case STORED -> String.format(
                Locale.ROOT,
                "cosine(query, document) with the vector stored in [%s], model [%s] (%s)",
                field,
                model.id(),
                model.why()
            );
            case ON_THE_FLY -> String.format(
                Locale.ROOT,
                "cosine(query, document) on fields %s embedded on the fly (%s), model [%s] (%s)",
                context.fields(),
                missing,
                model.id(),
                model.why()
            );
            case NO_TEXT -> String.format(
                Locale.ROOT,
                "%sno text in fields %s: neutral cosine 0",
                field == null ? "" : missing + " and ",
                context.fields()
            );
            case OVER_BUDGET -> String.format(
                Locale.ROOT,
                "%s, and the %d on-the-fly embeddings per shard request that [%s] allows went to better first-pass hits: neutral cosine 0",
                field == null ? "no vector stored" : missing,
                vectors.budget(),
                FairRescoreSettings.MAX_ON_THE_FLY_DOCS.getKey()
            );
            case NONE -> "semantic weight 0: no cosine";
            case TIMED_OUT -> "inference timed out: no cosine";
        };
    }

    /** The model a foreign stored vector names: a model this node loads, by its fingerprint, else the fingerprint. */
    private String madeBy(long fingerprint) {
        if (fingerprint == VectorModel.UNKNOWN) {
            return "an unknown model (written before vectors carried their model; re-index through fair_rescore_embed)";
        }
        for (String id : models().loaded()) {
            if (VectorModel.fingerprintOf(id) == fingerprint) {
                return "model [" + id + "]";
            }
        }
        return String.format(Locale.ROOT, "another model (fingerprint %016x)", fingerprint);
    }

    private String quotaDecision(ScoredWindow window, int i, FairRescoreContext context) {
        Reordering r = window.reordering();
        int position = window.positions()[i];
        int blendRank = r.rankByScore()[i];
        QuotaPolicy policy = context.policy();
        if (policy.isActive() == false) {
            String unapplied = context.quota().unapplied();
            return unapplied == null
                ? String.format(Locale.ROOT, "quota: none (position %d by blend)", position + 1)
                : String.format(Locale.ROOT, "quota: none (position %d by blend): %s", position + 1, unapplied);
        }
        String quota = policy.describe();
        String who;
        if (policy instanceof FairTopK fair) {
            int needed = reorderer.mtable(window.docs().length, fair).minimums()[position];
            boolean prot = window.protectedHit()[i];
            quota += String.format(Locale.ROOT, " on [%s]=[%s], top %d needs %d protected", context.quota().protectedField(), context.quota().protectedValue(), position + 1, needed);
            who = prot ? "protected hit" : "unprotected hit";
        } else {
            String shop = window.shops()[i];
            quota += " on [" + context.shopField() + "]";
            who = shop == null ? "no shop (a group of its own)" : "shop [" + shop + "]";
        }
        if (r.violates()[position]) {
            return String.format(Locale.ROOT, "quota: %s cannot be met here, %s placed at %d as the best remaining hit (blend rank %d)", quota, who, position + 1, blendRank + 1);
        }
        if (position > blendRank) {
            return String.format(Locale.ROOT, "quota: moved down from blend rank %d to %d by %s, %s", blendRank + 1, position + 1, quota, who);
        }
        if (position < blendRank) {
            return String.format(Locale.ROOT, "quota: moved up from blend rank %d to %d by %s, %s", blendRank + 1, position + 1, quota, who);
        }
        return String.format(Locale.ROOT, "quota: kept blend rank %d under %s, %s", position + 1, quota, who);
    }
}
