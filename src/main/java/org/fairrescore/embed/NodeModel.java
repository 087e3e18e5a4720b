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
        return load(modelsDirectory, modelId, threads, "model id");
    }

    /**
     * As {@link #load(Path, String, int)}, naming the setting the id came from in the error for an unknown id.
     */
    public static OnnxEmbedder load(Path modelsDirectory, String modelId, int threads, String settingName) {
        return load(modelsDirectory, modelId, threads, settingName, InferenceDevice.Request.CPU_ONLY);
    }

    /**
     * As {@link #load(Path, String, int, String)}, on the requested device.
     *
     * @throws IllegalStateException when CUDA is asked for, no GPU is usable and no CPU fallback is allowed
     */
    public static OnnxEmbedder load(Path modelsDirectory, String modelId, int threads, String settingName, InferenceDevice.Request device) {
        long start = System.nanoTime();
        ModelRegistry registry;
        try {
            registry = ModelRegistry.scan(modelsDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("fair-rescore: cannot read the bundled models in [" + modelsDirectory + "]", e);
        }
        BundledModel model;
        try {
            model = registry.get(modelId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + settingName + "] " + e.getMessage(), e);
        }
        OnnxEmbedder embedder;
        try {
            embedder = OnnxEmbedder.load(model, threads, OnnxEmbedder.DEFAULT_MAX_BATCH, device);
        } catch (IOException e) {
            throw new UncheckedIOException("fair-rescore: cannot load model [" + modelId + "] from [" + model.directory() + "]", e);
        }
        embedder.warmUp();
        logger.info(
            String.format(
                Locale.ROOT,
                "fair-rescore: model [%s] (%d dims, %d intra-op threads, %s) ready in %d ms",
                modelId,
                embedder.dims(),
                threads,
                embedder.device(),
                (System.nanoTime() - start) / 1_000_000
            )
        );
        return embedder;
    }
}
