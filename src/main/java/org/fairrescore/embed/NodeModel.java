package org.fairrescore.embed;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads a node's embedding model once, at node start: picks the bundled model by id, verifies it, opens its ONNX
 * session and runs a warm-up inference so that the first search pays no native-load or session cost.
 */
public final class NodeModel {

    private static final Logger logger = LogManager.getLogger(NodeModel.class);

    private NodeModel() {}

    /**
     * @param modelsDirectory folder with one sub-folder per bundled model
     * @param modelId         the id asked for by the node setting
     * @param threads         intra-op threads of the session
     * @throws IllegalArgumentException when the id is not bundled (the message lists the ids that are)
     */
    public static OnnxEmbedder load(Path modelsDirectory, String modelId, int threads) {
        long start = System.nanoTime();
        ModelRegistry registry;
        try {
            registry = ModelRegistry.scan(modelsDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("fair-rescore: cannot read the bundled models in [" + modelsDirectory + "]", e);
        }
        BundledModel model = registry.get(modelId);
        OnnxEmbedder embedder;
        try {
            embedder = OnnxEmbedder.load(model, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("fair-rescore: cannot load model [" + modelId + "] from [" + model.directory() + "]", e);
        }
        embedder.warmUp();
        logger.info(
            String.format(
                Locale.ROOT,
                "fair-rescore: model [%s] (%d dims, %d intra-op threads) ready in %d ms",
                modelId,
                embedder.dims(),
                threads,
                (System.nanoTime() - start) / 1_000_000
            )
        );
        return embedder;
    }
}
