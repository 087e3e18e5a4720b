package org.fairrescore.node;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.fairrescore.cache.QueryEmbeddingCache;
import org.fairrescore.model.BundledModel;
import org.fairrescore.model.CosineCalibration;
import org.fairrescore.model.InferenceCancellation;
import org.fairrescore.model.InferenceDevice;
import org.fairrescore.model.ModelManifest;
import org.fairrescore.model.ModelRegistry;
import org.fairrescore.model.ModelUnavailableException;
import org.fairrescore.model.NodeModel;
import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.model.TextRole;
import org.fairrescore.rescore.CoordinatingSearchFilter;
import org.fairrescore.rescore.Embeddings;
import org.fairrescore.rescore.QueryModels;
import org.fairrescore.rescore.RequestMemory;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.fairrescore.tokenizer.Encoding;
import org.fairrescore.vectors.VectorModel;
import org.opensearch.core.common.breaker.CircuitBreakingException;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The models a node loaded, as the rescorer, the ingest processor and {@code _embed} use them: every search inference
 * goes to the bounded {@code fair_rescore_inference} pool (a full queue is refused, which answers 429), query vectors
 * go through the node's query cache (keyed by model), window and ingest memory is reserved on the node's breaker, and
 * a model that could not be loaded fails every use with its load error (naming the model id and the file) instead of
 * failing the node.
 */
final class NodeInference implements QueryModels, CoordinatingSearchFilter.Prefetcher, Closeable {

    private static final Logger logger = LogManager.getLogger(NodeInference.class);

    /** One configured model: loaded, or the reason it is not. */
    static final class Model {
        private final BundledModel files;
        private final OnnxEmbedder embedder; // null when it could not be loaded
        private final String error;
        private final Embeddings embeddings;
        private final NodeInference node;

        private Model(NodeInference node, BundledModel files, OnnxEmbedder embedder, String error) {
            this.node = node;
            this.files = files;
            this.embedder = embedder;
            this.error = error;
            this.embeddings = new ModelEmbeddings(this);
        }

        String id() {
            return files.id();
        }

        BundledModel files() {
            return files;
        }

        /** The loaded model, or null. */
        OnnxEmbedder embedder() {
            return embedder;
        }

        /** Why the model could not be loaded, or null. */
        String error() {
            return error;
        }

        /** The loaded model, or the load error (503). */
        OnnxEmbedder require() {
            if (embedder == null) {
                throw new ModelUnavailableException(error);
            }
            return embedder;
        }

        VectorModel vectorModel() {
            return new VectorModel(files.id(), files.manifest().dims());
        }
    }

    private final String defaultModel;
    private final Map<String, Model> models;
    private final QueryEmbeddingCache queries;
    private final Executor pool;
    private final FairRescoreStats stats;
    private final Supplier<RequestMemory> memory;

    /**
     * Loads the node's models: its default model and the others it is configured with, each once (an id named twice is
     * loaded once). A model whose files are missing or corrupt, or that ONNX Runtime refuses, does not stop the node:
     * what needs it fails with the load error.
     *
     * @throws IllegalArgumentException when an id is not in {@code registry} (a configuration error: node start fails)
     */
    static NodeInference start(
            ModelRegistry registry,
            String defaultModel,
            List<String> otherModels,
            String modelsSetting,
            int threads,
            InferenceDevice.Request device,
            QueryEmbeddingCache queries,
            Executor pool,
            FairRescoreStats stats,
            Supplier<RequestMemory> memory) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(defaultModel);
        ids.addAll(otherModels);
        for (String id : ids) {
            NodeModel.find(
                    registry,
                    id,
                    id.equals(defaultModel)
                            ? FairRescoreSettings.MODEL.getKey()
                            : modelsSetting); // unknown id: start fails
        }
        List<Loaded> loaded = new ArrayList<>();
        try {
            for (String id : ids) {
                BundledModel files = registry.get(id);
                try {
                    loaded.add(new Loaded(
                            files,
                            NodeModel.load(registry, id, threads, FairRescoreSettings.MODEL.getKey(), device),
                            null));
                } catch (ModelUnavailableException e) {
                    loaded.add(new Loaded(files, null, e)); // the node runs; what needs the model says why not
                }
            }
        } catch (RuntimeException e) {
            loaded.forEach(l -> {
                if (l.embedder != null) {
                    l.embedder.close();
                }
            });
            throw e;
        }
        return new NodeInference(defaultModel, loaded, threads, device, queries, pool, stats, memory);
    }

    /** A configured model after its load: the embedder, or the failure. */
    record Loaded(BundledModel files, OnnxEmbedder embedder, ModelUnavailableException failure) {}

    /**
     * @param threads the intra-op threads each model's session runs with (for the stats)
     * @param device  the device the node asked for (for the stats: a model may run elsewhere after a fallback)
     */
    NodeInference(
            String defaultModel,
            List<Loaded> loaded,
            int threads,
            InferenceDevice.Request device,
            QueryEmbeddingCache queries,
            Executor pool,
            FairRescoreStats stats,
            Supplier<RequestMemory> memory) {
        this.defaultModel = defaultModel;
        this.queries = queries;
        this.pool = pool;
        this.stats = stats;
        this.memory = memory;
        Map<String, Model> byId = new LinkedHashMap<>();
        for (Loaded l : loaded) {
            Model model;
            String id = l.files.id();
            ModelManifest manifest = l.files.manifest();
            if (l.embedder != null) {
                model = new Model(this, l.files, l.embedder, null);
                l.embedder.batchListener((batch, nanos, succeeded) ->
                        stats.inference(id, batch.size(), tokens(batch), nanos, succeeded));
                // the network lives in ONNX Runtime's native memory; the breaker shows it (and leaves less for
                // searches)
                memory.get().breaker().get().addWithoutBreaking(manifest.onnxBytes());
            } else {
                logger.error(
                        l.failure.getMessage() + "; searches and fair_rescore_embed ingest that need model [" + id
                                + "] fail until it is fixed",
                        l.failure);
                model = new Model(this, l.files, null, l.failure.getMessage());
            }
            stats.model(new NodeStats.ModelInfo(
                    id,
                    id.equals(defaultModel),
                    manifest.dims(),
                    manifest.maxTokens(),
                    l.embedder == null ? OnnxEmbedder.DEFAULT_MAX_BATCH : l.embedder.maxBatch(),
                    threads,
                    l.embedder == null
                            ? device.device().id()
                            : l.embedder.device().id(),
                    device.device().id(),
                    l.embedder == null ? 0 : manifest.onnxBytes(),
                    model.error));
            byId.put(id, model);
        }
        if (byId.containsKey(defaultModel) == false) {
            throw new IllegalArgumentException(
                    "the default model [" + defaultModel + "] is not among the loaded models " + byId.keySet());
        }
        this.models = Collections.unmodifiableMap(byId);
    }

    @Override
    public String defaultModel() {
        return defaultModel;
    }

    /** The configured models, the default first, in configuration order. */
    Map<String, Model> models() {
        return models;
    }

    /** The configured model with this id, or null when this node does not load it. */
    Model model(String id) {
        return models.get(id);
    }

    @Override
    public Embeddings embeddings(String modelId) {
        Model model = models.get(modelId);
        return model == null ? null : model.embeddings;
    }

    @Override
    public List<String> loaded() {
        return List.copyOf(models.keySet());
    }

    /**
     * Vectors of document texts of model {@code modelId} for the ingest processor, {@code inferenceBatch} per inference
     * call, their heap reserved on the node's breaker while they are embedded.
     *
     * @throws IllegalArgumentException naming the model and {@code fair_rescore.models} when this node does not load it
     */
    float[][] embedForIngest(String modelId, List<String> texts, int inferenceBatch, String label) {
        Model model = models.get(modelId);
        if (model == null) {
            throw notLoaded(modelId);
        }
        OnnxEmbedder embedder = model.require();
        RequestMemory accounting = memory.get().forModel(embedder.dims(), embedder.maxTokens());
        long reserved;
        try {
            reserved = accounting.reserve(accounting.batch(texts.size(), inferenceBatch), label);
        } catch (CircuitBreakingException e) {
            stats.breakerTripped();
            throw e;
        }
        try {
            return embedder.embed(TextRole.DOCUMENT, texts, inferenceBatch, null);
        } finally {
            accounting.release(reserved);
        }
    }

    /**
     * The loaded model with this id, for {@code _embed}.
     *
     * @throws IllegalArgumentException (400) when this node does not load it
     * @throws ModelUnavailableException (503) when it could not be loaded
     */
    OnnxEmbedder embedder(String modelId) {
        Model model = models.get(modelId);
        if (model == null) {
            throw notLoaded(modelId);
        }
        return model.require();
    }

    /** The error for a model this node does not load. */
    IllegalArgumentException notLoaded(String modelId) {
        return new IllegalArgumentException("model [" + modelId + "] is not loaded on this node (it loads "
                + models.keySet() + "); add it to [fair_rescore.models] on every node");
    }

    /** Whether {@link #start} would embed {@code text}: the model is loaded, the cache keeps vectors, not this one yet. */
    @Override
    public boolean wants(String modelId, String text) {
        Model model = models.get(modelId);
        return model != null && model.embedder != null && queries.maxBytes() > 0 && queries.peek(modelId, text) == null;
    }

    /**
     * Starts embedding {@code text} with {@code modelId} into the query-vector cache without waiting (see
     * {@link org.fairrescore.rescore.CoordinatingSearchFilter}); nothing when the model is not loaded, the cache keeps
     * nothing or already holds the text. A full inference pool refuses it without counting a rejection: no search was
     * refused, and its shards ask again.
     */
    @Override
    public void start(String modelId, String text) {
        Model model = models.get(modelId);
        if (model == null || model.embedder == null || queries.maxBytes() == 0) {
            return;
        }
        try {
            queries.prefetchAsync(
                    modelId, text, t -> CompletableFuture.supplyAsync(() -> model.embedder.embedQuery(t), pool));
        } catch (RejectedExecutionException e) {
            logger.debug("query vector not prefetched: the inference pool is full");
        }
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

    private static long tokens(List<Encoding> batch) {
        long tokens = 0;
        for (Encoding e : batch) {
            tokens += e.length();
        }
        return tokens;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Model model : models.values()) {
            if (model.embedder != null) {
                try {
                    memory.get()
                            .breaker()
                            .get()
                            .addWithoutBreaking(-model.files.manifest().onnxBytes());
                    model.embedder.close();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
        if (failures.isEmpty() == false) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** One model as the rescorer sees it: query vectors through the node's cache, inference on the node's pool. */
    private static final class ModelEmbeddings implements Embeddings {
        private final Model model;

        ModelEmbeddings(Model model) {
            this.model = model;
        }

        @Override
        public String modelId() {
            return model.id();
        }

        @Override
        public int dims() {
            return model.files.manifest().dims();
        }

        @Override
        public int maxTokens() {
            return model.files.manifest().maxTokens();
        }

        @Override
        public CosineCalibration calibration() {
            return model.files.manifest().cosineCalibration();
        }

        @Override
        public float[] embedQuery(String text) {
            OnnxEmbedder embedder = model.require();
            return model.node.queries.get(model.id(), text, embedder::embedQuery);
        }

        @Override
        public float[][] embedDocuments(List<String> texts) {
            return model.require()
                    .embed(TextRole.DOCUMENT, texts, model.require().maxBatch(), null);
        }

        @Override
        public CompletableFuture<float[]> embedQueryAsync(String text) {
            OnnxEmbedder embedder = model.embedder;
            if (embedder == null) {
                return CompletableFuture.failedFuture(new ModelUnavailableException(model.error));
            }
            // one inference per text however many shards ask at once: the others get the same future, no pool thread
            // waits
            return model.node.queries.getAsync(model.id(), text, t -> model.node.submit(() -> embedder.embedQuery(t)));
        }

        @Override
        public CompletableFuture<float[][]> embedDocumentsAsync(List<String> texts, InferenceCancellation calls) {
            OnnxEmbedder embedder = model.embedder;
            if (embedder == null) {
                return CompletableFuture.failedFuture(new ModelUnavailableException(model.error));
            }
            return model.node.submit(() -> embedder.embed(TextRole.DOCUMENT, texts, embedder.maxBatch(), calls));
        }
    }
}
