package org.fairrescore.model;

import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class NodeModelTests extends OpenSearchTestCase {

    private static Path models() {
        return Path.of(System.getProperty("fair_rescore.test.models"));
    }

    public void testUnknownModelFailsListingTheBundledIds() {
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class, () -> NodeModel.load(models(), "gpt-17", 1, "fair_rescore.model"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("[fair_rescore.model]"));
        assertTrue(e.getMessage(), e.getMessage().contains("gpt-17"));
        assertTrue(e.getMessage(), e.getMessage().contains("all-minilm-l6-v2-q"));
        assertTrue(e.getMessage(), e.getMessage().contains("bge-small-zh-v15-q"));
    }

    public void testLoadsAndWarmsTheDefaultModel() {
        try (OnnxEmbedder embedder = NodeModel.load(models(), "all-minilm-l6-v2-q", 1)) {
            assertEquals(384, embedder.dims());
            float[] v = embedder.embed("trail running sneakers");
            assertEquals(1.0, VectorMath.norm(v), 1e-4);
        }
    }

    /** A config folder holding {@code fair-rescore/models/<id>/}: a copy of MiniLM under another id. */
    private Path configWithExtraModel(String id) throws IOException {
        Path config = createTempDir();
        Path dir = Files.createDirectories(config.resolve("fair-rescore/models").resolve(id));
        Path src = models().resolve("all-minilm-l6-v2-q");
        Files.copy(src.resolve(BundledModel.ONNX_FILE), dir.resolve(BundledModel.ONNX_FILE));
        Files.copy(src.resolve(BundledModel.TOKENIZER_FILE), dir.resolve(BundledModel.TOKENIZER_FILE));
        String manifest = Files.readString(src.resolve(ModelManifest.FILE_NAME))
                .replace("\"all-minilm-l6-v2-q\"", "\"" + id + "\"");
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), manifest);
        return config;
    }

    public void testExtraModelsComeFromTheConfigFolder() throws IOException {
        Path config = configWithExtraModel("my-minilm");
        ModelRegistry registry =
                NodeModel.registry(models(), config, "fair-rescore/models", "fair_rescore.models_path");
        assertTrue(registry.ids().toString(), registry.contains("my-minilm"));
        assertTrue(registry.contains("all-minilm-l6-v2-q"));
        try (OnnxEmbedder embedder =
                NodeModel.load(registry, "my-minilm", 1, "fair_rescore.model", InferenceDevice.Request.CPU_ONLY)) {
            assertEquals("my-minilm", embedder.modelId());
        }
        // no such folder: just the bundled models
        assertEquals(
                3,
                NodeModel.registry(models(), config, "elsewhere/models", "fair_rescore.models_path")
                        .ids()
                        .size());
    }

    public void testModelsPathMustStayInsideTheConfigFolder() throws IOException {
        Path config = createTempDir();
        for (String outside : List.of("/etc", "../models", "fair-rescore/../../x", ".", "")) {
            IllegalArgumentException e = expectThrows(
                    IllegalArgumentException.class,
                    () -> NodeModel.registry(models(), config, outside, "fair_rescore.models_path"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("[fair_rescore.models_path]"));
            assertTrue(e.getMessage(), e.getMessage().contains("inside the node's config folder"));
        }
        // a link inside the config folder that leads out of it
        Path outsideDir = Files.createDirectories(createTempDir().resolve("models"));
        Files.createSymbolicLink(config.resolve("linked"), outsideDir);
        IllegalArgumentException link = expectThrows(
                IllegalArgumentException.class,
                () -> NodeModel.registry(models(), config, "linked", "fair_rescore.models_path"));
        assertTrue(link.getMessage(), link.getMessage().contains("inside the node's config folder"));
    }

    public void testAnExtraModelMayNotReuseABundledId() throws IOException {
        Path config = configWithExtraModel("all-minilm-l6-v2-q");
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> NodeModel.registry(models(), config, "fair-rescore/models", "fair_rescore.models_path"));
        assertTrue(e.getMessage(), e.getMessage().contains("is both bundled"));
    }

    public void testCorruptOrMissingModelFileIsUnavailableNamingIdAndPath() throws IOException {
        Path config = configWithExtraModel("broken-minilm");
        Path onnx = config.resolve("fair-rescore/models/broken-minilm").resolve(BundledModel.ONNX_FILE);
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length / 3] ^= 0x21;
        Files.write(onnx, bytes);
        ModelRegistry registry =
                NodeModel.registry(models(), config, "fair-rescore/models", "fair_rescore.models_path");
        ModelUnavailableException corrupt = expectThrows(
                ModelUnavailableException.class,
                () -> NodeModel.load(
                        registry, "broken-minilm", 1, "fair_rescore.model", InferenceDevice.Request.CPU_ONLY));
        assertTrue(corrupt.getMessage(), corrupt.getMessage().contains("model [broken-minilm]"));
        assertTrue(corrupt.getMessage(), corrupt.getMessage().contains(onnx.toString()));
        assertTrue(corrupt.getMessage(), corrupt.getMessage().contains("sha256"));

        Files.delete(onnx);
        ModelUnavailableException missing = expectThrows(
                ModelUnavailableException.class,
                () -> NodeModel.load(
                        registry, "broken-minilm", 1, "fair_rescore.model", InferenceDevice.Request.CPU_ONLY));
        assertTrue(missing.getMessage(), missing.getMessage().contains(onnx.toString()));
        assertTrue(missing.getMessage(), missing.getMessage().contains("missing"));
    }
}
