package org.fairrescore.rescore;

import org.fairrescore.model.CosineCalibration;
import org.fairrescore.model.InferenceCancellation;
import org.fairrescore.vectors.VectorModel;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What the rescorer needs from the node's embedding model: L2-normalised vectors for a query and for a batch of
 * document texts. The plugin wires the bundled ONNX model behind it; tests can wire a deterministic fake.
 */
public interface Embeddings {

    /** Id of the model behind these vectors (shown in explain). */
    String modelId();

    /** The fingerprint stored vectors of this model carry ({@link VectorModel#fingerprint()}). */
    default long fingerprint() {
        return VectorModel.fingerprintOf(modelId());
    }

    /** Vector length (0 when unknown: tools and fakes). */
    default int dims() {
        return 0;
    }

    /** The model's token limit (0 when unknown: tools and fakes); bounds the memory a window reserves. */
    default int maxTokens() {
        return 0;
    }

    /** Where the model's cosines lie, for the blend. */
    default CosineCalibration calibration() {
        return CosineCalibration.FULL_RANGE;
    }

    /** L2-normalised vector of a query text. */
    float[] embedQuery(String text);

    /** L2-normalised vectors of document texts, in input order. */
    float[][] embedDocuments(List<String> texts);

    /**
     * The query vector, possibly computed on another thread so that it overlaps the first pass (the rescorer asks
     * for it when the shard's context is built and waits for it after the first pass). By default computed here.
     */
    default CompletableFuture<float[]> embedQueryAsync(String text) {
        try {
            return CompletableFuture.completedFuture(embedQuery(text));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Vectors of document texts, possibly computed on another thread (the node's inference pool), under
     * {@code calls}: once the caller cancels them, calls not begun are skipped and a running one terminates. By
     * default computed here.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the inference pool's queue is full
     */
    default CompletableFuture<float[][]> embedDocumentsAsync(List<String> texts, InferenceCancellation calls) {
        try {
            calls.throwIfCancelled();
            return CompletableFuture.completedFuture(embedDocuments(texts));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** As {@link #of(String, Function, Function)}, with query vectors computed ahead by {@code asyncQuery}. */
    static Embeddings of(
            String modelId,
            Function<String, float[]> query,
            Function<List<String>, float[][]> documents,
            Function<String, CompletableFuture<float[]>> asyncQuery) {
        return new FunctionEmbeddings(modelId, query, documents, asyncQuery, null);
    }

    /** As above, with document vectors computed by {@code asyncDocuments} (the plugin wires its inference pool so). */
    static Embeddings of(
            String modelId,
            Function<String, float[]> query,
            Function<List<String>, float[][]> documents,
            Function<String, CompletableFuture<float[]>> asyncQuery,
            BiFunction<List<String>, InferenceCancellation, CompletableFuture<float[][]>> asyncDocuments) {
        return new FunctionEmbeddings(modelId, query, documents, asyncQuery, asyncDocuments);
    }

    /** Embeddings from two functions. */
    static Embeddings of(String modelId, Function<String, float[]> query, Function<List<String>, float[][]> documents) {
        return new FunctionEmbeddings(modelId, query, documents, null, null);
    }

    /** Embeddings backed by functions; without the async ones vectors are computed when asked for, on the caller. */
    record FunctionEmbeddings(
            String modelId,
            Function<String, float[]> query,
            Function<List<String>, float[][]> documents,
            Function<String, CompletableFuture<float[]>> asyncQuery,
            BiFunction<List<String>, InferenceCancellation, CompletableFuture<float[][]>> asyncDocuments)
            implements Embeddings {

        @Override
        public CompletableFuture<float[][]> embedDocumentsAsync(List<String> texts, InferenceCancellation calls) {
            return asyncDocuments == null
                    ? Embeddings.super.embedDocumentsAsync(texts, calls)
                    : asyncDocuments.apply(texts, calls);
        }

        @Override
        public float[] embedQuery(String text) {
            return query.apply(text);
        }

        @Override
        public float[][] embedDocuments(List<String> texts) {
            return documents.apply(texts);
        }

        @Override
        public CompletableFuture<float[]> embedQueryAsync(String text) {
            return asyncQuery == null ? Embeddings.super.embedQueryAsync(text) : asyncQuery.apply(text);
        }
    }
}
