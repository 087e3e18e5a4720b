package org.fairrescore.plugin;

import org.fairrescore.action.EmbedAction;
import org.fairrescore.action.ExposureFeedbackAction;
import org.fairrescore.action.ExposureGetAction;
import org.fairrescore.action.ExposureResetAction;
import org.fairrescore.action.ExposureSyncAction;
import org.fairrescore.action.FairRescoreStatsAction;
import org.fairrescore.action.TransportEmbedAction;
import org.fairrescore.action.TransportExposureFeedbackAction;
import org.fairrescore.action.TransportExposureGetAction;
import org.fairrescore.action.TransportExposureResetAction;
import org.fairrescore.action.TransportExposureSyncAction;
import org.fairrescore.action.TransportFairRescoreStatsAction;
import org.fairrescore.node.FairRescoreNode;
import org.fairrescore.pipeline.FairRescorePipeline;
import org.fairrescore.rescore.CoordinatingSearchFilter;
import org.fairrescore.rescore.FairSemanticRescorer;
import org.fairrescore.rescore.FairSemanticRescorerBuilder;
import org.fairrescore.rescore.FirstPassQueryCapture;
import org.fairrescore.rescore.SearchCancellationBinder;
import org.fairrescore.rescore.ServedExposureFilter;
import org.fairrescore.rest.RestEmbedAction;
import org.fairrescore.rest.RestExposureAction;
import org.fairrescore.rest.RestExposureFeedbackAction;
import org.fairrescore.rest.RestFairRescoreStatsAction;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.vectors.EmbedProcessor;
import org.fairrescore.vectors.VectorFieldMapper;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.ClusterState;
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
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.IndexModule;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.CircuitBreakerPlugin;
import org.opensearch.plugins.DiscoveryPlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPipelinePlugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.pipeline.Processor;
import org.opensearch.search.pipeline.SearchRequestProcessor;
import org.opensearch.search.pipeline.SearchResponseProcessor;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.FixedExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Wires fair-rescore into a node: settings, the {@code fair_semantic} rescorer, the search pipeline processors, the
 * {@code fair_rescore_vector} field, the {@code fair_rescore_embed} ingest processor, the coordinating node's search
 * filters, the REST endpoints, the thread pool, the circuit breaker and the join check (a node without the plugin is
 * refused by the cluster manager: {@link JoinCheck}). It holds no logic: what they share (models,
 * caches, memory, counters) is the node's {@link FairRescoreNode}, built with the plugin and started in
 * {@link #createComponents} (search and mapper parsers are registered before the node starts).
 */
public class FairRescorePlugin extends Plugin
        implements SearchPlugin,
                SearchPipelinePlugin,
                MapperPlugin,
                IngestPlugin,
                ActionPlugin,
                CircuitBreakerPlugin,
                DiscoveryPlugin {

    private final FairRescoreNode node;
    private final FairSemanticRescorer rescorer;
    private final FairRescorePipeline pipeline;
    private final CoordinatingSearchFilter searchFilter;
    private final ServedExposureFilter exposureFilter;

    public FairRescorePlugin(Settings settings, Path configPath) {
        this.node = new FairRescoreNode(settings, configPath);
        this.rescorer = new FairSemanticRescorer(
                node::models,
                node.reorderer(),
                node::documentVectors,
                node.stats(),
                node::memory,
                node.exposure().ledgers());
        this.pipeline = new FairRescorePipeline(node::clusterState, node::resolver, node.reorderer(), node.stats());
        this.searchFilter = new CoordinatingSearchFilter(
                node::clusterState, node::resolver, node.catalog()::defaultModel, node::prefetcher);
        this.exposureFilter = new ServedExposureFilter(
                node::clusterState, node::resolver, node.exposure().ledgers(), node.stats());
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
        return node.stats();
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        int processors = OpenSearchExecutors.allocatedProcessors(settings);
        String pool = FairRescoreNode.INFERENCE_POOL;
        return List.of(new FixedExecutorBuilder(
                settings, pool, Math.max(1, Math.min(processors, 8)), 200, "thread_pool." + pool));
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
        return new BreakerSettings(
                FairRescoreNode.BREAKER,
                FairRescoreSettings.BREAKER_LIMIT.get(settings).getBytes(),
                1.0);
    }

    @Override
    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
        node.breaker(circuitBreaker);
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
            Supplier<RepositoriesService> repositoriesServiceSupplier) {
        node.start(clusterService, threadPool, indexNameExpressionResolver, client, nodeEnvironment);
        Settings settings = environment.settings();
        ClusterSettings cluster = clusterService.getClusterSettings();
        rescorer.inferenceTimeout(FairRescoreSettings.INFERENCE_TIMEOUT.get(settings));
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.INFERENCE_TIMEOUT, rescorer::inferenceTimeout);
        searchFilter.prefetch(FairRescoreSettings.INFERENCE_PREFETCH.get(settings));
        cluster.addSettingsUpdateConsumer(FairRescoreSettings.INFERENCE_PREFETCH, searchFilter::prefetch);
        return List.of(node.stats(), node.embedder(), node.exposureActions());
    }

    @Override
    public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
        return List.of(
                new ActionHandler<>(FairRescoreStatsAction.INSTANCE, TransportFairRescoreStatsAction.class),
                new ActionHandler<>(EmbedAction.INSTANCE, TransportEmbedAction.class),
                new ActionHandler<>(ExposureSyncAction.INSTANCE, TransportExposureSyncAction.class),
                new ActionHandler<>(ExposureGetAction.INSTANCE, TransportExposureGetAction.class),
                new ActionHandler<>(ExposureResetAction.INSTANCE, TransportExposureResetAction.class),
                new ActionHandler<>(ExposureFeedbackAction.INSTANCE, TransportExposureFeedbackAction.class));
    }

    @Override
    public List<ActionFilter> getActionFilters() {
        return List.of(searchFilter, exposureFilter);
    }

    @Override
    public List<RestHandler> getRestHandlers(
            Settings settings,
            RestController restController,
            ClusterSettings clusterSettings,
            IndexScopedSettings indexScopedSettings,
            SettingsFilter settingsFilter,
            IndexNameExpressionResolver indexNameExpressionResolver,
            Supplier<DiscoveryNodes> nodesInCluster) {
        return List.of(
                new RestFairRescoreStatsAction(),
                new RestEmbedAction(),
                new RestExposureAction(),
                new RestExposureFeedbackAction());
    }

    @Override
    public Map<String, Mapper.TypeParser> getMappers() {
        return Map.of(VectorFieldMapper.CONTENT_TYPE, VectorFieldMapper.parser(node.catalog()));
    }

    @Override
    public Map<String, org.opensearch.ingest.Processor.Factory> getProcessors(
            org.opensearch.ingest.Processor.Parameters parameters) {
        return Map.of(EmbedProcessor.TYPE, new EmbedProcessor.Factory(node::ingest, node.embedCounters()));
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
        node.close();
    }
}
