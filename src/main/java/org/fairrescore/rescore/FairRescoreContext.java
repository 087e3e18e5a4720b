package org.fairrescore.rescore;

import org.apache.lucene.search.Query;
import org.fairrescore.fairness.Diversity;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.model.InferenceBudget;
import org.fairrescore.model.InferenceInterruptedException;
import org.fairrescore.quota.ResolvedQuota;
import org.opensearch.search.rescore.RescoreContext;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Per-request state of one {@code fair_semantic} rescore on one shard: the resolved clause and index settings, the
 * query model and vector (embedded at most once per shard request) and, for explain, the scored window.
 */
public final class FairRescoreContext extends RescoreContext {

    private final String queryText;
    private final List<String> fields;
    private final float semanticWeight;
    private final float firstPassSaturation;
    private final ResolvedQuota quota;
    private final QueryModel model;
    private final String vectorField;
    private final ExposurePlan exposure;
    private final Diversity diversity;
    private float[] queryVector;
    private CompletableFuture<float[]> pendingQueryVector;
    private ScoredWindow window;
    private Query firstPassQuery;
    private BooleanSupplier cancelled = () -> false;

    FairRescoreContext(
            int windowSize,
            FairSemanticRescorer rescorer,
            String queryText,
            List<String> fields,
            float semanticWeight,
            float firstPassSaturation,
            ResolvedQuota quota,
            QueryModel model,
            String vectorField,
            ExposurePlan exposure) {
        this(
                windowSize,
                rescorer,
                queryText,
                fields,
                semanticWeight,
                firstPassSaturation,
                quota,
                model,
                vectorField,
                exposure,
                Diversity.OFF);
    }

    FairRescoreContext(
            int windowSize,
            FairSemanticRescorer rescorer,
            String queryText,
            List<String> fields,
            float semanticWeight,
            float firstPassSaturation,
            ResolvedQuota quota,
            QueryModel model,
            String vectorField,
            ExposurePlan exposure,
            Diversity diversity) {
        super(windowSize, rescorer);
        this.diversity = diversity == null ? Diversity.OFF : diversity;
        this.queryText = queryText;
        this.fields = List.copyOf(fields);
        this.semanticWeight = semanticWeight;
        this.firstPassSaturation = firstPassSaturation;
        this.quota = quota;
        this.model = model;
        this.vectorField = vectorField;
        this.exposure = exposure;
    }

    public String queryText() {
        return queryText;
    }

    public List<String> fields() {
        return fields;
    }

    public float semanticWeight() {
        return semanticWeight;
    }

    public float firstPassSaturation() {
        return firstPassSaturation;
    }

    /** The keyword field holding each hit's shop, or null when the policy reads none. */
    public String shopField() {
        return quota.shopField();
    }

    public QuotaPolicy policy() {
        return quota.policy();
    }

    ResolvedQuota quota() {
        return quota;
    }

    /** MMR and near duplicates for this search ({@link Diversity#OFF} when neither is on). */
    public Diversity diversity() {
        return diversity;
    }

    /**
     * True when the window goes through the one placement procedure: several rules, the multi-group minimums, or
     * diversity; otherwise the single rule's own reorderer runs, as it always did.
     */
    boolean composite() {
        return quota.composite() || diversity.isActive();
    }

    /** The index's {@code fair_rescore_vector} field, or null when its hits are embedded on the fly. */
    public String vectorField() {
        return vectorField;
    }

    /** The index's amortized exposure mode on this shard, or null when it is off. */
    ExposurePlan exposure() {
        return exposure;
    }

    /** The model that embeds the query (and on-the-fly documents), or null when the semantic weight is 0. */
    QueryModel model() {
        return model;
    }

    /** Starts computing the query vector, so that it overlaps the first pass; {@link #queryVector} waits for it. */
    void prefetchQueryVector() {
        if (queryVector == null && pendingQueryVector == null) {
            pendingQueryVector = model.embeddings().embedQueryAsync(queryText);
        }
    }

    /**
     * The query vector, waiting within {@code budget} for the one started by {@link #prefetchQueryVector} (or
     * starting it now).
     *
     * @throws org.fairrescore.model.InferenceInterruptedException when the budget runs out or the search is cancelled
     */
    float[] queryVector(InferenceBudget budget) {
        if (queryVector == null) {
            if (pendingQueryVector == null) {
                pendingQueryVector = model.embeddings().embedQueryAsync(queryText);
            }
            try {
                queryVector = budget.await(pendingQueryVector);
            } catch (InferenceInterruptedException e) {
                throw e; // keep the pending vector: a later explain on this context may still use it
            } catch (RuntimeException e) {
                pendingQueryVector = null;
                throw e;
            }
            pendingQueryVector = null;
        }
        return queryVector;
    }

    /** Whether the search this context serves was cancelled (bound by the shard's search listener). */
    BooleanSupplier cancelled() {
        return cancelled;
    }

    /** Binds the search task's cancellation flag, so that pending inference stops when the search is cancelled. */
    public void cancelled(BooleanSupplier cancelled) {
        this.cancelled = Objects.requireNonNull(cancelled);
    }

    ScoredWindow window() {
        return window;
    }

    void window(ScoredWindow window) {
        this.window = window;
    }

    Query firstPassQuery() {
        return firstPassQuery;
    }

    /** Set by the fetch phase when explain is on, so explain can rebuild the window on a fresh context. */
    void firstPassQuery(Query query) {
        this.firstPassQuery = query;
    }
}
