package org.fairrescore.vectors;

import java.util.Collection;

/**
 * The models a node knows (bundled, or under {@code fair_rescore.models_path}), whether or not it loaded them: what a
 * {@code fair_rescore_vector} mapping may name. Known from the manifests alone, so mappings parse before any model is
 * loaded and on nodes that do not load the model.
 */
public interface ModelCatalog {

    /** The model new vector fields are bound to when their mapping names none ({@code fair_rescore.model}). */
    String defaultModel();

    /** The model with this id, or null when this node knows no such model. */
    VectorModel model(String id);

    /** The ids this node knows, sorted (for messages). */
    Collection<String> ids();
}
