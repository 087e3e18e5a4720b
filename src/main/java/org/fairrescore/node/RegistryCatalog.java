package org.fairrescore.node;

import org.fairrescore.model.BundledModel;
import org.fairrescore.model.ModelRegistry;
import org.fairrescore.vectors.ModelCatalog;
import org.fairrescore.vectors.VectorModel;

import java.util.Collection;

/** The models of the node's registry (bundled and {@code fair_rescore.models_path}) as vector fields see them. */
record RegistryCatalog(ModelRegistry registry, String defaultModel) implements ModelCatalog {

    @Override
    public VectorModel model(String id) {
        if (registry.contains(id) == false) {
            return null;
        }
        BundledModel model = registry.get(id);
        return new VectorModel(model.id(), model.manifest().dims());
    }

    @Override
    public Collection<String> ids() {
        return registry.ids();
    }
}
