package org.fairrescore.node;

import org.fairrescore.action.NodeEmbedder;
import org.fairrescore.action.NodeExposure;
import org.fairrescore.cache.DocumentEmbeddingCache;
import org.fairrescore.cache.QueryEmbeddingCache;
import org.fairrescore.fairness.MTableCache;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.model.InferenceDevice;
import org.fairrescore.model.ModelRegistry;
import org.fairrescore.model.NodeModel;
import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.rescore.CoordinatingSearchFilter;
import org.fairrescore.rescore.DocumentVectors;
import org.fairrescore.rescore.QueryModels;
import org.fairrescore.rescore.RequestMemory;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.vectors.EmbedProcessor;
import org.fairrescore.vectors.ModelCatalog;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.NoopCircuitBreaker;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;

import java.io.Closeable;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * fair-rescore's part of a node: what the rescorer, the search pipeline, the coordinating node's filter, the ingest
 * processor, the vector field and the REST actions share. Built from the node's settings when the plugin is created
 * (the model manifests, the caches, the counters: what mappings and parsers need before the node starts), then
 * {@link #start started} with the node's services (the models are loaded, the breaker and the dynamic settings bound).
 * Before the start, {@link #models()} is null and memory is not accounted; nothing is static, so nodes in one JVM
 * (internal-cluster tests) do not share state.
 */
public final class FairRescoreNode implements Closeable {

    /**
     * Thread pool every inference of searches runs on (query vectors, on-the-fly document vectors):
     * {@code thread_pool.fair_rescore_inference.size} (default: the allocated processors, at most 8) and
     * {@code .queue_size} (default 200). A full queue refuses the search with 429.
     */
    public static final String INFERENCE_POOL = "fair_rescore_inference";

    /** Name of the plugin's circuit breaker ({@code GET _nodes/stats/breaker}). */
    public static final String BREAKER = "fair_rescore";

    /** Adjusted FA*IR m-tables kept per node, by (k, p, alpha). */
    private static final int MTABLE_CACHE_ENTRIES = 256;

    private final Settings settings;
    private final ModelRegistry registry;
    private final RegistryCatalog catalog;
    private final FairRescoreStats stats = new FairRescoreStats();
    private final EmbedProcessor.Counters embedCounters = new EmbedProcessor.Counters();
    private final QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(MTABLE_CACHE_ENTRIES));
    private final QueryEmbeddingCache queries;
    private final DocumentVectors documentVectors;
    private final IngestEmbedder ingest;
    private final ExposureService exposure;

    private volatile CircuitBreaker breaker;
    private volatile RequestMemory memory = RequestMemory.NONE;
    private volatile ClusterService clusterService;
    private volatile IndexNameExpressionResolver resolver;
    private volatile NodeInference models;

    /**
     * Reads the model manifests (bundled, and under {@code fair_rescore.models_path}) and sizes the caches.
     *
     * @throws IllegalArgumentException when {@code fair_rescore.models_path} leads outside the config folder
     */
    public FairRescoreNode(Settings settings, Path configDir) {
        this.settings = settings;
        this.registry = NodeModel.registry(
                bundledModelsDirectory(),
                configDir,
                FairRescoreSettings.MODELS_PATH.get(settings),
                FairRescoreSettings.MODELS_PATH.getKey());
        this.catalog = new RegistryCatalog(registry, FairRescoreSettings.MODEL.get(settings));
        this.queries = new QueryEmbeddingCache(
                FairRescoreSettings.QUERY_CACHE_SIZE.get(settings).getBytes());
        this.documentVectors = new DocumentVectors(
                new DocumentEmbeddingCache(
                        FairRescoreSettings.DOCUMENT_CACHE_SIZE.get(settings).getBytes()),
                FairRescoreSettings.MAX_ON_THE_FLY_DOCS.get(settings));
        this.ingest = new IngestEmbedder(this::clusterState, catalog, () -> models);
        this.exposure = new ExposureService(settings, stats);
    }

    /** The node's {@code fair_rescore} circuit breaker (given by the node before {@link #start}). */
    public void breaker(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    /**
     * Loads the node's models (an unknown id fails node start; a broken model fails only what needs it), accounts
     * the caches, the models and each request's memory to the breaker, and follows the dynamic node settings.
     */
    public void start(
            ClusterService clusterService,
            ThreadPool threadPool,
            IndexNameExpressionResolver resolver,
            Client client,
            NodeEnvironment environment) {
        this.clusterService = clusterService;
        this.resolver = resolver;
        CircuitBreaker nodeBreaker = breaker != null ? breaker : new NoopCircuitBreaker(BREAKER);
        this.memory = new RequestMemory(() -> nodeBreaker, 0, 0, OnnxEmbedder.DEFAULT_MAX_BATCH);
        queries.accountTo(nodeBreaker::addWithoutBreaking);
        documentVectors.cache().accountTo(nodeBreaker::addWithoutBreaking);
        this.models = NodeInference.start(
                registry,
                catalog.defaultModel(),
                FairRescoreSettings.MODELS.get(settings),
                FairRescoreSettings.MODELS.getKey(),
                FairRescoreSettings.INFERENCE_THREADS.get(settings),
                deviceRequest(settings),
                queries,
                threadPool.executor(INFERENCE_POOL),
                stats,
                () -> memory);
        stats.bind(StatsReadings.of(queries, documentVectors, embedCounters, exposure));
        exposure.start(clusterService, threadPool, client, environment.nodeDataPaths()[0], nodeBreaker, settings);

        ClusterSettings cluster = clusterService.getClusterSettings();
        cluster.addSettingsUpdateConsumer(
                FairRescoreSettings.BREAKER_LIMIT, limit -> nodeBreaker.setLimitAndOverhead(limit.getBytes(), 1.0));
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.MAX_ON_THE_FLY_DOCS, documentVectors::maxOnTheFly);
        cluster.addSettingsUpdateConsumer(
                FairRescoreSettings.QUERY_CACHE_SIZE, size -> queries.setMaxBytes(size.getBytes()));
        cluster.addSettingsUpdateConsumer(
                FairRescoreSettings.DOCUMENT_CACHE_SIZE,
                size -> documentVectors.cache().setMaxBytes(size.getBytes()));
    }

    /** The models vector fields may name: what this node knows, loaded or not. */
    public ModelCatalog catalog() {
        return catalog;
    }

    /** The node's loaded models; null before {@link #start}. */
    public QueryModels models() {
        return models;
    }

    /** The node's query-embedding prefetcher (its loaded models); null before {@link #start}. */
    public CoordinatingSearchFilter.Prefetcher prefetcher() {
        return models;
    }

    /** The node's document-vector reader, with its on-the-fly cache and budget. */
    public DocumentVectors documentVectors() {
        return documentVectors;
    }

    /** Accounts request memory to the node's breaker ({@link RequestMemory#NONE} before {@link #start}). */
    public RequestMemory memory() {
        return memory;
    }

    /** The quota reorderer shared by the rescorer and the search pipeline. */
    public QuotaReorderer reorderer() {
        return reorderer;
    }

    /** The node's counters. */
    public FairRescoreStats stats() {
        return stats;
    }

    /** What the node's {@code fair_rescore_embed} processors have done. */
    public EmbedProcessor.Counters embedCounters() {
        return embedCounters;
    }

    /** The models as the {@code fair_rescore_embed} processor uses them. */
    public EmbedProcessor.DocumentEmbedder ingest() {
        return ingest;
    }

    /** What {@code _embed} asks of the node's models. */
    public NodeEmbedder embedder() {
        return new NodeEmbedder(
                id -> {
                    NodeInference loaded = models;
                    if (loaded == null) {
                        throw new IllegalStateException(
                                "[_embed] the embedding models are not loaded on this node yet");
                    }
                    return loaded.embedder(id);
                },
                catalog.defaultModel());
    }

    /** The node's exposure ledgers, kept in sync with the other nodes' and on disk once started. */
    public ExposureService exposure() {
        return exposure;
    }

    /** What the exposure actions ask of the node. */
    public NodeExposure exposureActions() {
        return new NodeExposure(exposure);
    }

    /** The node's cluster state; null before {@link #start}. */
    public ClusterState clusterState() {
        ClusterService cluster = clusterService;
        return cluster == null ? null : cluster.state();
    }

    /** Resolves index expressions; null before {@link #start}. */
    public IndexNameExpressionResolver resolver() {
        return resolver;
    }

    @Override
    public void close() {
        exposure.close();
        NodeInference loaded = models;
        if (loaded != null) {
            loaded.close();
        }
    }

    private static InferenceDevice.Request deviceRequest(Settings settings) {
        return new InferenceDevice.Request(
                InferenceDevice.of(FairRescoreSettings.INFERENCE_DEVICE.get(settings)),
                FairRescoreSettings.INFERENCE_CUDA_DEVICE_ID.get(settings),
                "cpu".equals(FairRescoreSettings.INFERENCE_DEVICE_FALLBACK.get(settings)),
                FairRescoreSettings.INFERENCE_DEVICE.getKey(),
                FairRescoreSettings.INFERENCE_DEVICE_FALLBACK.getKey());
    }

    /** {@code models/} beside the plugin's jar: the plugin folder when installed, {@code target/} in a build. */
    static Path bundledModelsDirectory() {
        try {
            Path code = Path.of(FairRescoreNode.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return code.getParent().resolve("models");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the fair-rescore plugin folder", e);
        }
    }
}
