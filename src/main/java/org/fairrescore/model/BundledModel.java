package org.fairrescore.model;

import org.fairrescore.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One model folder as the bundler writes it: {@code <id>/model.json}, {@code <id>/model.onnx} and
 * {@code <id>/tokenizer.json}.
 */
public record BundledModel(ModelManifest manifest, Path directory) {

    /** The ONNX network's file name inside a model folder. */
    public static final String ONNX_FILE = "model.onnx";
    /** The Hugging Face {@code tokenizer.json} file name inside a model folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    public BundledModel {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(directory, "directory");
    }

    public String id() {
        return manifest.id();
    }

    public Path onnxFile() {
        return directory.resolve(ONNX_FILE);
    }

    public Path tokenizerFile() {
        return directory.resolve(TOKENIZER_FILE);
    }

    public Path manifestFile() {
        return directory.resolve(ModelManifest.FILE_NAME);
    }

    /** Checks that both model files exist and that the ONNX file has the manifest's size (no hashing). */
    public void checkFilesPresent() throws IOException {
        requireFile(onnxFile());
        requireFile(tokenizerFile());
        long size = Files.size(onnxFile());
        if (size != manifest.onnxBytes()) {
            throw new IOException("model [" + id() + "]: " + onnxFile() + " is corrupt: " + size + " bytes, expected "
                    + manifest.onnxBytes());
        }
    }

    /** Reads the ONNX file and checks its SHA-256 against the manifest. */
    public byte[] readVerifiedOnnx() throws IOException {
        return readVerified(onnxFile(), manifest.onnxSha256());
    }

    /** Reads {@code tokenizer.json} and checks its SHA-256 against the manifest. */
    public byte[] readVerifiedTokenizer() throws IOException {
        return readVerified(tokenizerFile(), manifest.tokenizerSha256());
    }

    /** Loads the tokenizer from the verified {@code tokenizer.json}. */
    public WordPieceTokenizer loadTokenizer() throws IOException {
        return WordPieceTokenizer.fromJson(
                readVerifiedTokenizer(), tokenizerFile().toString());
    }

    private void requireFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "model [" + id() + "]: file is missing");
        }
    }

    private byte[] readVerified(Path file, String expectedSha256) throws IOException {
        requireFile(file);
        byte[] bytes = Files.readAllBytes(file);
        String actual = Sha256.of(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new IOException("model [" + id() + "]: " + file + " is corrupt: sha256 " + actual + ", expected "
                    + expectedSha256 + " (" + bytes.length + " bytes); rebuild or reinstall the plugin");
        }
        return bytes;
    }
}
