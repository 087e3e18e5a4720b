package org.fairrescore.plugin;

import org.apache.lucene.util.SetOnce;
import org.fairrescore.embed.NodeModel;
import org.fairrescore.embed.OnnxEmbedder;
import org.fairrescore.rescore.Embeddings;
import org.fairrescore.rescore.FairSemanticRescorer;
import org.fairrescore.rescore.FairSemanticRescorerBuilder;
import org.fairrescore.rescore.FirstPassQueryCapture;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Setting;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
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
import org.opensearch.script.ScriptService;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Wires fair-rescore into a node: settings, the bundled model, the {@code fair_semantic} rescorer. */
public class FairRescorePlugin extends Plugin implements SearchPlugin, SearchPipelinePlugin {

    private static final int MTABLE_CACHE_ENTRIES = 256;

    private final SetOnce<OnnxEmbedder> model = new SetOnce<>();
    private final SetOnce<Embeddings> embeddings = new SetOnce<>();
    private final SetOnce<ClusterService> clusterService = new SetOnce<>();
    private final SetOnce<IndexNameExpressionResolver> indexNameResolver = new SetOnce<>();
    private final QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(MTABLE_CACHE_ENTRIES));
    private final FairSemanticRescorer rescorer = new FairSemanticRescorer(embeddings::get, reorderer);
    private final FairRescorePipeline pipeline = new FairRescorePipeline(clusterService, indexNameResolver, reorderer);

    /**
     * This node's rescorer. Clauses parsed from REST or read from the wire bind to it by themselves; code running in
     * the node's JVM that builds a {@link FairSemanticRescorerBuilder} by hand passes this instance.
     */
    public FairSemanticRescorer rescorer() {
        return rescorer;
    }

    @Override
    public List<Setting<?>> getSettings() {
        return FairRescoreSettings.all();
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
        OnnxEmbedder embedder = NodeModel.load(
            bundledModelsDirectory(),
            FairRescoreSettings.MODEL.get(environment.settings()),
            FairRescoreSettings.INFERENCE_THREADS.get(environment.settings()),
            FairRescoreSettings.MODEL.getKey()
        );
        model.set(embedder);
        embeddings.set(Embeddings.of(embedder.modelId(), text -> embedder.embed(List.of(text))[0], embedder::embed));
        return List.of();
    }

    @Override
    public List<RescorerSpec<?>> getRescorers() {
        return List.of(
            new RescorerSpec<>(
                FairSemanticRescorerBuilder.NAME,
                in -> new FairSemanticRescorerBuilder(in, rescorer),
                parser -> FairSemanticRescorerBuilder.fromXContent(parser, rescorer)
            )
        );
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
        OnnxEmbedder embedder = model.get();
        if (embedder != null) {
            embedder.close();
        }
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
