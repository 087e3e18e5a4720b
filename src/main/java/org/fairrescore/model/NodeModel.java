package org.fairrescore.model;

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
    public static OnnxEmbedder load(
            Path modelsDirectory, String modelId, int threads, String settingName, InferenceDevice.Request device) {
        ModelRegistry registry;
        try {
            registry = ModelRegistry.scan(modelsDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "fair-rescore: cannot read the bundled models in [" + modelsDirectory + "]", e);
        }
        return load(registry, modelId, threads, settingName, device);
    }

    /**
     * The bundled models plus those in {@code modelsPath} under the node's config folder.
     *
     * @param modelsPath a folder relative to {@code configDir} (the value of {@code settingName})
     * @throws IllegalArgumentException when {@code modelsPath} is absolute or leads outside the config folder (also
     *         through a symbolic link), or a model id is both bundled and extra
     */
    public static ModelRegistry registry(Path bundledDir, Path configDir, String modelsPath, String settingName) {
        Path extra = confined(configDir, modelsPath, settingName);
        try {
            return ModelRegistry.scan(bundledDir, extra);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "fair-rescore: cannot read the models in [" + bundledDir + "] and [" + extra + "]", e);
        }
    }

    /** {@code relative} resolved against {@code configDir}, refused when it is not inside it. */
    static Path confined(Path configDir, String relative, String settingName) {
        Path config = configDir.toAbsolutePath().normalize();
        Path asked;
        try {
            asked = config.getFileSystem().getPath(relative);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(
                    "[" + settingName + "] [" + relative + "] is not a valid path: " + e.getMessage(), e);
        }
        Path resolved = config.resolve(asked).normalize();
        boolean inside = asked.isAbsolute() == false && resolved.startsWith(config) && resolved.equals(config) == false;
        if (inside && java.nio.file.Files.exists(resolved)) {
            try {
                Path real = resolved.toRealPath();
                inside = real.startsWith(config.toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException("[" + settingName + "] cannot resolve [" + resolved + "]", e);
            }
        }
        if (inside == false) {
            throw new IllegalArgumentException("[" + settingName + "] [" + relative
                    + "] must be a folder inside the node's config folder [" + config
                    + "], given relative to it (e.g. fair-rescore/models); it resolves to [" + resolved + "]");
        }
        return resolved;
    }

    /** The model named by {@code settingName} found in {@code registry}. */
    public static BundledModel find(ModelRegistry registry, String modelId, String settingName) {
        try {
            return registry.get(modelId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + settingName + "] " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #load(Path, String, int, String, InferenceDevice.Request)}, from a scanned registry.
     *
     * @throws IllegalArgumentException when the id is not in the registry (a configuration error)
     * @throws ModelUnavailableException when the model's files are missing or corrupt, or ONNX Runtime cannot load it
     */
    public static OnnxEmbedder load(
            ModelRegistry registry, String modelId, int threads, String settingName, InferenceDevice.Request device) {
        long start = System.nanoTime();
        BundledModel model = find(registry, modelId, settingName);
        OnnxEmbedder embedder;
        try {
            model.checkFilesPresent();
            embedder = OnnxEmbedder.load(model, threads, OnnxEmbedder.DEFAULT_MAX_BATCH, device);
        } catch (IOException e) {
            throw new ModelUnavailableException(
                    "fair-rescore: model [" + modelId + "] cannot be loaded from [" + model.directory() + "]: "
                            + e.getMessage(),
                    e);
        }
        embedder.warmUp();
        logger.info(String.format(
                Locale.ROOT,
                "fair-rescore: model [%s] (%d dims, %d intra-op threads, %s) ready in %d ms",
                modelId,
                embedder.dims(),
                threads,
                embedder.device(),
                (System.nanoTime() - start) / 1_000_000));
        return embedder;
    }
}
