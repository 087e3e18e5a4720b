package org.fairrescore.rescore;

/**
 * The model that embeds one shard's query, and why that one (for explain): the clause's, the vector field's, the
 * index's {@code index.fair_rescore.model} or the node's default.
 */
record QueryModel(Embeddings embeddings, String why) {

    String id() {
        return embeddings.modelId();
    }
}
