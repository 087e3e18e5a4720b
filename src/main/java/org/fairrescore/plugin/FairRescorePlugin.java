package org.fairrescore.plugin;

import org.apache.lucene.util.SetOnce;
import org.fairrescore.embed.ModelRegistry;
import org.fairrescore.rescore.CoordinatingSearchFilter;
import org.fairrescore.rescore.RequestMemory;
import org.fairrescore.rescore.SearchCancellationBinder;
import org.opensearch.cluster.ClusterState;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.NoopCircuitBreaker;
import org.opensearch.index.IndexModule;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.plugins.CircuitBreakerPlugin;
import org.opensearch.plugins.DiscoveryPlugin;
import org.fairrescore.embed.DocumentEmbeddingCache;
import org.fairrescore.embed.InferenceDevice;
import org.fairrescore.embed.NodeModel;
import org.fairrescore.embed.OnnxEmbedder;
import org.fairrescore.embed.QueryEmbeddingCache;
import org.fairrescore.rescore.DocumentVectors;
import org.fairrescore.rescore.FairSemanticRescorer;
import org.fairrescore.rescore.FairSemanticRescorerBuilder;
import org.fairrescore.rescore.FirstPassQueryCapture;
import org.fairrescore.rest.EmbedAction;
import org.fairrescore.rest.FairRescoreStatsAction;
import org.fairrescore.rest.NodeEmbedder;
import org.fairrescore.rest.RestEmbedAction;
import org.fairrescore.rest.RestFairRescoreStatsAction;
import org.fairrescore.rest.TransportEmbedAction;
import org.fairrescore.rest.TransportFairRescoreStatsAction;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.vectors.EmbedProcessor;
import org.fairrescore.vectors.VectorFieldMapper;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPipelinePlugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.search.pipeline.Processor;
import org.opensearch.search.pipeline.SearchRequestProcessor;
import org.opensearch.search.pipeline.SearchResponseProcessor;
import org.fairrescore.fairness.MTableCache;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.pipeline.FairRescorePipeline;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.FixedExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Wires fair-rescore into a node: settings, the models, the {@code fair_semantic} rescorer, the search pipeline
 * processors, the {@code fair_rescore_vector} field, the {@code fair_rescore_embed} ingest processor, the coordinating
 * node's search filter, the vector caches, the REST endpoints, the circuit breaker and the join check (a node without
 * the plugin is refused by the cluster manager: {@link JoinCheck}). It holds no logic: the node's
 * models and their inference live in {@link NodeInference}, built in {@link #createComponents}.
 */
public class FairRescorePlugin extends Plugin
    implements
        SearchPlugin,
        SearchPipelinePlugin,
        MapperPlugin,
        IngestPlugin,
        ActionPlugin,
        CircuitBreakerPlugin,
        DiscoveryPlugin {

    private static final int MTABLE_CACHE_ENTRIES = 256;

    /**
     * Thread pool every inference of searches runs on (query vectors, on-the-fly document vectors):
     * {@code thread_pool.fair_rescore_inference.size} (default: the allocated processors, at most 8) and
     * {@code .queue_size} (default 200). A full queue refuses the search with 429.
     */
    public static final String INFERENCE_POOL = "fair_rescore_inference";

    /** Name of the plugin's circuit breaker ({@code GET _nodes/stats/breaker}). */
    public static final String BREAKER = "fair_rescore";

    private final ModelRegistry registry;
    private final RegistryCatalog catalog;
    private final SetOnce<NodeInference> inference = new SetOnce<>();
    private final SetOnce<ClusterService> clusterService = new SetOnce<>();
    private final SetOnce<IndexNameExpressionResolver> indexNameResolver = new SetOnce<>();
    private final SetOnce<CircuitBreaker> breaker = new SetOnce<>();
    private final SetOnce<RequestMemory> memory = new SetOnce<>();
    private final SetOnce<DocumentVectors> documentVectors = new SetOnce<>();
    private final QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(MTABLE_CACHE_ENTRIES));
    private final EmbedProcessor.Counters embedCounters = new EmbedProcessor.Counters();
    private final FairRescoreStats stats = new FairRescoreStats();
    private final FairSemanticRescorer rescorer;
    private final FairRescorePipeline pipeline;
    private final CoordinatingSearchFilter searchFilter;
    private final IngestEmbedder ingest;

    /**
     * Reads the model manifests (bundled, and under {@code fair_rescore.models_path}) at once: mappings name models, and
     * are parsed before {@link #createComponents} loads any.
     */
    public FairRescorePlugin(Settings settings, Path configPath) {
        this.registry = NodeModel.registry(
            bundledModelsDirectory(),
            configPath,
            FairRescoreSettings.MODELS_PATH.get(settings),
            FairRescoreSettings.MODELS_PATH.getKey()
        );
        this.catalog = new RegistryCatalog(registry, FairRescoreSettings.MODEL.get(settings));
        this.rescorer = new FairSemanticRescorer(inference::get, reorderer, documentVectors::get, stats, this::requestMemory);
        this.pipeline = new FairRescorePipeline(this::clusterState, indexNameResolver::get, reorderer, stats);
        this.searchFilter = new CoordinatingSearchFilter(this::clusterState, indexNameResolver::get, () -> catalog.defaultModel(), this::prefetcher);
        this.ingest = new IngestEmbedder(this::clusterState, catalog, inference::get);
    }

    private ClusterState clusterState() {
        ClusterService cluster = clusterService.get();
        return cluster == null ? null : cluster.state();
    }

    private RequestMemory requestMemory() {
        RequestMemory m = memory.get();
        return m == null ? RequestMemory.NONE : m;
    }

    private CoordinatingSearchFilter.Prefetcher prefetcher() {
        return inference.get();
    }

    /**
     * This node's rescorer. Clauses parsed from REST or read from the wire bind to it by themselves; code running in
     * the node's JVM that builds a {@link FairSemanticRescorerBuilder} by hand passes this instance.
     */
    public FairSemanticRescorer rescorer() {
        return rescorer;
    }

    /** This node's counters (what {@code GET _plugins/_fair_rescore/stats} reports). */
    public FairRescoreStats stats() {
        return stats;
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        int processors = OpenSearchExecutors.allocatedProcessors(settings);
        return List.of(new FixedExecutorBuilder(settings, INFERENCE_POOL, Math.max(1, Math.min(processors, 8)), 200, "thread_pool." + INFERENCE_POOL));
    }

    @Override
    public List<Setting<?>> getSettings() {
        return FairRescoreSettings.all();
    }

    /** The node attribute that tells the cluster manager this node has the plugin ({@link JoinCheck}). */
    @Override
    public Settings additionalSettings() {
        return JoinCheck.NODE_SETTINGS;
    }

    /** The cluster manager refuses a joining node without the plugin, naming it ({@link JoinCheck}). */
    @Override
    public BiConsumer<DiscoveryNode, ClusterState> getJoinValidator() {
        return new JoinCheck();
    }

    @Override
    public BreakerSettings getCircuitBreaker(Settings settings) {
        return new BreakerSettings(BREAKER, FairRescoreSettings.BREAKER_LIMIT.get(settings).getBytes(), 1.0);
    }

    @Override
    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
        breaker.set(circuitBreaker);
    }

    @Override
    public void onIndexModule(IndexModule indexModule) {
        indexModule.addSearchOperationListener(new SearchCancellationBinder());
    }

    @Override
    public Collection<Object> createComponents(
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        ResourceWatcherService resourceWatcherService,
        ScriptService scriptService,
        NamedXContentRegistry xContentRegistry,
        Environment environment,
        NodeEnvironment nodeEnvironment,
        NamedWriteableRegistry namedWriteableRegistry,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<RepositoriesService> repositoriesServiceSupplier
    ) {
        this.clusterService.set(clusterService);
        this.indexNameResolver.set(indexNameExpressionResolver);
        Settings settings = environment.settings();
        CircuitBreaker nodeBreaker = breaker.get() != null ? breaker.get() : new NoopCircuitBreaker(BREAKER);
        memory.set(new RequestMemory(() -> nodeBreaker, 0, 0, OnnxEmbedder.DEFAULT_MAX_BATCH));

        QueryEmbeddingCache queries = new QueryEmbeddingCache(FairRescoreSettings.QUERY_CACHE_SIZE.get(settings).getBytes());
        DocumentVectors vectors = new DocumentVectors(
            new DocumentEmbeddingCache(FairRescoreSettings.DOCUMENT_CACHE_SIZE.get(settings).getBytes()),
            FairRescoreSettings.MAX_ON_THE_FLY_DOCS.get(settings)
        );
        documentVectors.set(vectors);
        queries.accountTo(nodeBreaker::addWithoutBreaking);
        vectors.cache().accountTo(nodeBreaker::addWithoutBreaking);

        inference.set(
            NodeInference.start(
                registry,
                catalog.defaultModel(),
                FairRescoreSettings.MODELS.get(settings),
                FairRescoreSettings.MODELS.getKey(),
                FairRescoreSettings.INFERENCE_THREADS.get(settings),
                deviceRequest(settings),
                queries,
                threadPool.executor(INFERENCE_POOL),
                stats,
                memory::get
            )
        );
        stats.bind(StatsReadings.of(queries, vectors, embedCounters));

        ClusterSettings cluster = clusterService.getClusterSettings();
        rescorer.inferenceTimeout(FairRescoreSettings.INFERENCE_TIMEOUT.get(settings));
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.INFERENCE_TIMEOUT, rescorer::inferenceTimeout);
        searchFilter.prefetch(FairRescoreSettings.INFERENCE_PREFETCH.get(settings));
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.INFERENCE_PREFETCH, searchFilter::prefetch);
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.BREAKER_LIMIT, limit -> nodeBreaker.setLimitAndOverhead(limit.getBytes(), 1.0));
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.MAX_ON_THE_FLY_DOCS, vectors::maxOnTheFly);
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.QUERY_CACHE_SIZE, size -> queries.setMaxBytes(size.getBytes()));
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.DOCUMENT_CACHE_SIZE, size -> vectors.cache().setMaxBytes(size.getBytes()));
        return List.of(stats, new NodeEmbedder(inference.get()::embedder, catalog.defaultModel()));
    }

    @Override
    public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
        return List.of(
            new ActionHandler<>(FairRescoreStatsAction.INSTANCE, TransportFairRescoreStatsAction.class),
            new ActionHandler<>(EmbedAction.INSTANCE, TransportEmbedAction.class)
        );
    }

    @Override
    public List<ActionFilter> getActionFilters() {
        return List.of(searchFilter);
    }

    @Override
    public List<RestHandler> getRestHandlers(
        Settings settings,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster
    ) {
        return List.of(new RestFairRescoreStatsAction(), new RestEmbedAction());
    }

    @Override
    public Map<String, Mapper.TypeParser> getMappers() {
        return Map.of(VectorFieldMapper.CONTENT_TYPE, VectorFieldMapper.parser(catalog));
    }

    @Override
    public Map<String, org.opensearch.ingest.Processor.Factory> getProcessors(org.opensearch.ingest.Processor.Parameters parameters) {
        return Map.of(EmbedProcessor.TYPE, new EmbedProcessor.Factory(() -> ingest, embedCounters));
    }

    @Override
    public List<RescorerSpec<?>> getRescorers() {
        return List.of(FairSemanticRescorerBuilder.spec(rescorer));
    }

    @Override
    public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
        return List.of(new FirstPassQueryCapture());
    }

    @Override
    public Map<String, Processor.Factory<SearchRequestProcessor>> getRequestProcessors(Parameters parameters) {
        return Map.of(FairRescorePipeline.TYPE, pipeline.requestFactory());
    }

    @Override
    public Map<String, Processor.Factory<SearchResponseProcessor>> getResponseProcessors(Parameters parameters) {
        return Map.of(FairRescorePipeline.TYPE, pipeline.responseFactory());
    }

    @Override
    public void close() throws IOException {
        NodeInference node = inference.get();
        if (node != null) {
            node.close();
        }
    }

    private static InferenceDevice.Request deviceRequest(Settings settings) {
        return new InferenceDevice.Request(
            InferenceDevice.of(FairRescoreSettings.INFERENCE_DEVICE.get(settings)),
            FairRescoreSettings.INFERENCE_CUDA_DEVICE_ID.get(settings),
            "cpu".equals(FairRescoreSettings.INFERENCE_DEVICE_FALLBACK.get(settings)),
            FairRescoreSettings.INFERENCE_DEVICE.getKey(),
            FairRescoreSettings.INFERENCE_DEVICE_FALLBACK.getKey()
        );
    }

    /** {@code models/} beside the plugin's jar: the plugin folder when installed, {@code target/} in a build. */
    static Path bundledModelsDirectory() {
        try {
            Path code = Path.of(FairRescorePlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve("models");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the fair-rescore plugin folder", e);
        }
    }
}
