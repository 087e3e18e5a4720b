package org.fairrescore.plugin;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.fairrescore.embed.BundledModel;
import org.fairrescore.embed.InferenceCancellation;
import org.fairrescore.embed.ModelUnavailableException;
import org.fairrescore.embed.OnnxEmbedder;
import org.fairrescore.embed.QueryEmbeddingCache;
import org.fairrescore.rescore.Embeddings;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.vectors.VectorModel;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The node's model as the rescorer, the ingest processor and the vector field use it: every inference goes to the
 * bounded {@code fair_rescore_inference} pool (a full queue is refused, which answers 429), query vectors go through
 * the node's query cache, and when the model could not be loaded every use fails with the load error (naming the
 * model id and the file) instead of the node failing.
 */
final class NodeInference {

    private static final Logger logger = LogManager.getLogger(NodeInference.class);

    private final OnnxEmbedder model; // null when it could not be loaded
    private final BundledModel files;
    private final String error;
    private final QueryEmbeddingCache queries;
    private final Executor pool;
    private final FairRescoreStats stats;
    private final Embeddings embeddings;

    private NodeInference(OnnxEmbedder model, BundledModel files, String error, QueryEmbeddingCache queries, Executor pool, FairRescoreStats stats) {
        this.model = model;
        this.files = files;
        this.error = error;
        this.queries = queries;
        this.pool = pool;
        this.stats = stats;
        this.embeddings = Embeddings.of(files.id(), this::embedQuery, this::embedDocuments, this::embedQueryAsync, this::embedDocumentsAsync);
    }

    /** A node whose model is loaded. */
    static NodeInference loaded(OnnxEmbedder model, BundledModel files, QueryEmbeddingCache queries, Executor pool, FairRescoreStats stats) {
        return new NodeInference(model, files, null, queries, pool, stats);
    }

    /** A node whose model failed to load: the node runs; what needs the model fails with {@code failure}'s message. */
    static NodeInference failed(ModelUnavailableException failure, BundledModel files, QueryEmbeddingCache queries, Executor pool, FairRescoreStats stats) {
        logger.error(failure.getMessage() + "; searches with a semantic weight above 0 and fair_rescore_embed ingest fail until it is fixed", failure);
        stats.modelFailed(failure.getMessage());
        return new NodeInference(null, files, failure.getMessage(), queries, pool, stats);
    }

    /** The loaded model, or null when it could not be loaded. */
    OnnxEmbedder model() {
        return model;
    }

    /** The model as the rescorer uses it. */
    Embeddings embeddings() {
        return embeddings;
    }

    /** The model's id and dims (from its manifest, so mappings work even when the model could not be loaded). */
    VectorModel vectorModel() {
        return new VectorModel(files.id(), files.manifest().dims());
    }

    /** The loaded model, or the load error. */
    OnnxEmbedder require() {
        if (model == null) {
            throw new ModelUnavailableException(error);
        }
        return model;
    }

    private float[] embedQuery(String text) {
        return queries.get(require().modelId(), text, this::queryInference);
    }

    /** One inference of one query text (the caller has checked that the model is loaded). */
    private float[] queryInference(String text) {
        return model.embed(List.of(text))[0];
    }

    private float[][] embedDocuments(List<String> texts) {
        return require().embed(texts);
    }

    private CompletableFuture<float[]> embedQueryAsync(String text) {
        if (model == null) {
            return CompletableFuture.failedFuture(new ModelUnavailableException(error));
        }
        // one inference per text however many shards ask at once: the others get the same future, no pool thread waits
        return queries.getAsync(model.modelId(), text, t -> submit(() -> queryInference(t)));
    }

    /** Whether {@link #prefetchQuery} would embed {@code text}: the model is loaded, the cache keeps vectors, not this one yet. */
    boolean wantsPrefetch(String text) {
        return model != null && queries.maxBytes() > 0 && queries.peek(model.modelId(), text) == null;
    }

    /**
     * Starts embedding {@code text} into the query-vector cache without waiting (see
     * {@link org.fairrescore.rescore.QueryVectorPrefetch}); nothing when the model is not loaded, the cache keeps
     * nothing or already holds the text. A full inference pool refuses it without counting a rejection: no search was
     * refused, and its shards ask again.
     */
    void prefetchQuery(String text) {
        if (model == null || queries.maxBytes() == 0) {
            return; // a cached text: prefetchAsync does nothing
        }
        try {
            queries.prefetchAsync(model.modelId(), text, t -> CompletableFuture.supplyAsync(() -> queryInference(t), pool));
        } catch (RejectedExecutionException e) {
            logger.debug("query vector not prefetched: the inference pool is full");
        }
    }

    private CompletableFuture<float[][]> embedDocumentsAsync(List<String> texts, InferenceCancellation calls) {
        if (model == null) {
            return CompletableFuture.failedFuture(new ModelUnavailableException(error));
        }
        return submit(() -> model.embed(texts, calls));
    }

    /** Runs inference on the pool; a full queue throws (OpenSearch's rejection: 429) and counts a rejection. */
    <T> CompletableFuture<T> submit(Supplier<T> inference) {
        try {
            return CompletableFuture.supplyAsync(inference, pool);
        } catch (RejectedExecutionException e) {
            stats.rejected();
            throw e;
        }
    }
}
