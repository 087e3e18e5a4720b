package org.fairrescore.node;

import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.settings.ParsedCache;
import org.fairrescore.vectors.EmbedProcessor;
import org.fairrescore.vectors.ModelCatalog;
import org.fairrescore.vectors.VectorFieldMapper;
import org.fairrescore.vectors.VectorModel;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.node.DiscoveryNode;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's models as the {@code fair_rescore_embed} processor uses them: a vector field's model comes from the
 * target index's mapping in this node's cluster state (parsed once per mapping), the node's default model when the
 * index or the field does not exist yet; the vector field refuses a vector of another model, so a wrong guess fails the
 * document (400) rather than store a vector the rescorer would compare with another model's queries.
 */
final class IngestEmbedder implements EmbedProcessor.DocumentEmbedder {

    private final Supplier<ClusterState> state;
    private final ModelCatalog catalog;
    private final Supplier<NodeInference> inference;
    private final ParsedCache<MappingMetadata, Map<String, Object>> mappings = new ParsedCache<>(256);

    IngestEmbedder(Supplier<ClusterState> state, ModelCatalog catalog, Supplier<NodeInference> inference) {
        this.state = state;
        this.catalog = catalog;
        this.inference = inference;
    }

    @Override
    public VectorModel model(String index, String vectorField) {
        ClusterState current = state.get();
        IndexMetadata metadata =
                current == null || index == null ? null : current.metadata().index(index);
        MappingMetadata mapping = metadata == null ? null : metadata.mapping();
        String id = mapping == null
                ? null
                : VectorFieldMapper.boundModel(mappings.get(mapping, MappingMetadata::sourceAsMap), vectorField);
        return model(id == null ? catalog.defaultModel() : id);
    }

    @Override
    public VectorModel model(String id) {
        VectorModel model = catalog.model(id);
        if (model == null) {
            throw new IllegalArgumentException("unknown model [" + id + "]; known models: " + catalog.ids());
        }
        return model;
    }

    @Override
    public float[][] embed(String modelId, List<String> texts, int inferenceBatch) {
        NodeInference node = inference.get();
        if (node == null) {
            throw new IllegalStateException(
                    "[" + EmbedProcessor.TYPE + "] the node's embedding models are not loaded yet");
        }
        if (node.model(modelId) == null) {
            // the pipeline runs on the node the document was sent to, which need not be one holding its shard: name it
            throw new IllegalArgumentException("["
                    + EmbedProcessor.TYPE
                    + "] model ["
                    + modelId
                    + "] is not loaded on node ["
                    + localNodeName()
                    + "], which ran this ingest pipeline (it loads "
                    + node.loaded()
                    + "); add it to ["
                    + FairRescoreSettings.MODELS.getKey()
                    + "] on every node that runs ingest pipelines");
        }
        return node.embedForIngest(
                modelId, texts, inferenceBatch, EmbedProcessor.TYPE + " batch of " + texts.size() + " texts");
    }

    private String localNodeName() {
        ClusterState current = state.get();
        DiscoveryNode local = current == null ? null : current.nodes().getLocalNode();
        return local == null ? "?" : local.getName();
    }
}
