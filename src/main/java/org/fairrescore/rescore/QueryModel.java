package org.fairrescore.rescore;

import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.vectors.VectorFieldMapper;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.node.Node;

import java.util.Locale;

/**
 * The model that embeds one shard's query, and why that one (for explain): the clause's, the vector field's, the
 * index's {@code index.fair_rescore.model} or the node's default.
 */
record QueryModel(Embeddings embeddings, String why) {

    String id() {
        return embeddings.modelId();
    }

    /**
     * The model of this shard's query: the clause's {@code model} (named by the request, or by the coordinating node
     * for every searched index), else the vector field's, else {@code index.fair_rescore.model}, else the node's
     * default.
     *
     * @param clauseModel      the clause's model, or null
     * @param modelFromIndices whether the coordinating node filled {@code clauseModel} in
     * @param vectors          the index's vector field, or null
     * @throws IllegalArgumentException (400) naming the model, why it is needed and the setting, when this node does
     *         not load it
     */
    static QueryModel resolve(
            QueryShardContext context,
            QueryModels models,
            String clauseModel,
            boolean modelFromIndices,
            VectorFieldMapper.VectorFieldType vectors) {
        String id;
        String why;
        if (clauseModel != null) {
            id = clauseModel;
            why = modelFromIndices
                    ? "the model of the searched indices, as the coordinating node resolved it"
                    : "named by the clause's [model]";
        } else if (vectors != null) {
            id = vectors.model().id();
            why = "the model of vector field [" + vectors.name() + "]";
        } else {
            String configured = FairRescoreSettings.INDEX_MODEL.get(
                    context.getIndexSettings().getSettings());
            if (configured.isEmpty()) {
                id = models.defaultModel();
                why = "the node's default [" + FairRescoreSettings.MODEL.getKey() + "]";
            } else {
                id = configured;
                why = "[" + FairRescoreSettings.INDEX_MODEL.getKey() + "]";
            }
        }
        Embeddings embeddings = models.embeddings(id);
        if (embeddings == null) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "[%s] index [%s] needs model [%s] (%s), which node [%s] does not load (it loads %s); add [%s] to [%s] on every node "
                            + "that holds the index's shards",
                    FairSemanticRescorerBuilder.NAME,
                    context.index().getName(),
                    id,
                    why,
                    Node.NODE_NAME_SETTING.get(context.getIndexSettings().getNodeSettings()),
                    models.loaded(),
                    id,
                    FairRescoreSettings.MODELS.getKey()));
        }
        return new QueryModel(embeddings, why);
    }
}
