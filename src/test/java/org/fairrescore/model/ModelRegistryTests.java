package org.fairrescore.model;

import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.fairrescore.model.EmbedTestSupport.BGE_EN;
import static org.fairrescore.model.EmbedTestSupport.BGE_ZH;
import static org.fairrescore.model.EmbedTestSupport.MINILM;

public class ModelRegistryTests extends OpenSearchTestCase {

    public void testScansTheBundledModels() throws IOException {
        ModelRegistry registry = ModelRegistry.scan(EmbedTestSupport.modelsDir());
        assertEquals(List.of(MINILM, BGE_EN, BGE_ZH), List.copyOf(registry.ids()));
        BundledModel minilm = registry.get(MINILM);
        assertEquals(384, minilm.manifest().dims());
        assertEquals(512, registry.get(BGE_ZH).manifest().dims());
        assertEquals(minilm.manifest().onnxBytes(), Files.size(minilm.onnxFile()));
    }

    public void testUnknownIdListsTheAvailableIds() throws IOException {
        ModelRegistry registry = ModelRegistry.scan(EmbedTestSupport.modelsDir());
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> registry.get("e5-large"));
        assertEquals(
                "unknown embedding model [e5-large]; available models: " + MINILM + ", " + BGE_EN + ", " + BGE_ZH,
                e.getMessage());
    }

    /** A copy of the bundled MiniLM folder under a temp dir, to damage. */
    private Path copyOfMiniLm() throws IOException {
        Path root = createTempDir();
        Path dir = Files.createDirectories(root.resolve(MINILM));
        Path src = EmbedTestSupport.modelsDir().resolve(MINILM);
        for (String f : List.of(ModelManifest.FILE_NAME, BundledModel.ONNX_FILE, BundledModel.TOKENIZER_FILE)) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        return root;
    }

    public void testCorruptOnnxFileNamesPathAndModel() throws IOException {
        Path root = copyOfMiniLm();
        Path onnx = root.resolve(MINILM).resolve(BundledModel.ONNX_FILE);
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(onnx, bytes);
        BundledModel model = ModelRegistry.scan(root).get(MINILM);
        IOException e = expectThrows(IOException.class, model::readVerifiedOnnx);
        assertTrue(e.getMessage(), e.getMessage().contains("model [" + MINILM + "]"));
        assertTrue(e.getMessage(), e.getMessage().contains(onnx.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("is corrupt"));
        IOException load = expectThrows(IOException.class, () -> OnnxEmbedder.load(model, 1));
        assertEquals(e.getMessage(), load.getMessage());
    }

    public void testTruncatedOnnxFileIsCaughtBeforeHashing() throws IOException {
        Path root = copyOfMiniLm();
        Path onnx = root.resolve(MINILM).resolve(BundledModel.ONNX_FILE);
        Files.write(onnx, new byte[] {1}, StandardOpenOption.APPEND);
        BundledModel model = ModelRegistry.scan(root).get(MINILM); // scanning reads manifests only
        IOException e = expectThrows(IOException.class, model::checkFilesPresent);
        assertTrue(e.getMessage(), e.getMessage().contains(onnx.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains(MINILM));
    }

    public void testCorruptTokenizerAndMissingFiles() throws IOException {
        Path root = copyOfMiniLm();
        Path tokenizer = root.resolve(MINILM).resolve(BundledModel.TOKENIZER_FILE);
        Files.writeString(tokenizer, "{}");
        IOException e = expectThrows(
                IOException.class, () -> ModelRegistry.scan(root).get(MINILM).loadTokenizer());
        assertTrue(e.getMessage(), e.getMessage().contains(tokenizer.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("model [" + MINILM + "]"));

        Files.delete(tokenizer);
        NoSuchFileException missing = expectThrows(
                NoSuchFileException.class,
                () -> ModelRegistry.scan(root).get(MINILM).checkFilesPresent());
        assertTrue(missing.getMessage(), missing.getMessage().contains(tokenizer.toString()));
        assertTrue(missing.getMessage(), missing.getMessage().contains("model [" + MINILM + "]"));
    }

    public void testFolderNameMustMatchIdAndMissingFolder() throws IOException {
        Path root = copyOfMiniLm();
        Files.move(root.resolve(MINILM), root.resolve("renamed"));
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ModelRegistry.scan(root));
        assertTrue(e.getMessage(), e.getMessage().contains("does not match its folder name [renamed]"));

        Path nowhere = root.resolve("nowhere");
        NoSuchFileException none = expectThrows(NoSuchFileException.class, () -> ModelRegistry.scan(nowhere));
        assertTrue(none.getMessage(), none.getMessage().contains(nowhere.toString()));

        ModelRegistry empty = ModelRegistry.scan(Files.createDirectories(root.resolve("empty")));
        IllegalArgumentException unknown = expectThrows(IllegalArgumentException.class, () -> empty.get(MINILM));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("(none in "));
    }
}
