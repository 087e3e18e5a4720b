package org.fairrescore.rescore;

import java.util.List;

/**
 * The models this node embeds with, by id: what the rescorer asks for the model an index's queries need (the model of
 * its vector field, {@code index.fair_rescore.model}, or the node's default). The plugin wires the node's loaded
 * models behind it; tests wire fakes.
 */
public interface QueryModels {

    /** The node's default model id ({@code fair_rescore.model}). */
    String defaultModel();

    /** The model with this id, or null when this node does not load it. */
    Embeddings embeddings(String modelId);

    /** The ids of the models this node loads (for messages). */
    List<String> loaded();

    /** One model, as the default: for tools and tests. */
    static QueryModels of(Embeddings model) {
        return new QueryModels() {
            @Override
            public String defaultModel() {
                return model.modelId();
            }

            @Override
            public Embeddings embeddings(String modelId) {
                return model.modelId().equals(modelId) ? model : null;
            }

            @Override
            public List<String> loaded() {
                return List.of(model.modelId());
            }
        };
    }
}
