package org.fairrescore.embed;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The models bundled in a folder ({@code <plugin>/models/} in a node, {@code target/models/} in a build). Scanning
 * parses every manifest and checks that each model's files exist with the right ONNX size; hashes are checked when a
 * model is loaded ({@link BundledModel#readVerifiedOnnx()}).
 */
public final class ModelRegistry {

    /** The model used when a request names none. */
    public static final String DEFAULT_MODEL_ID = "all-minilm-l6-v2-q";

    private final Path directory;
    private final Map<String, BundledModel> models;

    private ModelRegistry(Path directory, Map<String, BundledModel> models) {
        this.directory = directory;
        this.models = models;
    }

    /**
     * Scans {@code modelsDir}: every sub-folder holding a {@code model.json} is a model, whose manifest id must equal
     * the folder name. Folders without a manifest are ignored.
     *
     * @throws IOException if the folder is missing, a manifest is unreadable or a model file is missing or truncated
     * @throws IllegalArgumentException if a manifest is invalid
     */
    public static ModelRegistry scan(Path modelsDir) throws IOException {
        if (!Files.isDirectory(modelsDir)) {
            throw new NoSuchFileException(modelsDir.toString(), null, "models folder does not exist");
        }
        Map<String, BundledModel> models = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(modelsDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
                if (!Files.isRegularFile(manifestFile)) {
                    continue;
                }
                ModelManifest manifest = ModelManifest.read(manifestFile);
                String folder = dir.getFileName().toString();
                if (!manifest.id().equals(folder)) {
                    throw new IllegalArgumentException(
                        "model manifest " + manifestFile + ": id [" + manifest.id() + "] does not match its folder name [" + folder + "]"
                    );
                }
                BundledModel model = new BundledModel(manifest, dir);
                model.checkFilesPresent();
                models.put(manifest.id(), model);
            }
        }
        return new ModelRegistry(modelsDir, Collections.unmodifiableMap(models));
    }

    public Path directory() {
        return directory;
    }

    /** The ids of the bundled models, sorted. */
    public SortedSet<String> ids() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(models.keySet()));
    }

    public boolean contains(String id) {
        return models.containsKey(id);
    }

    /**
     * The model with this id.
     *
     * @throws IllegalArgumentException naming the available ids if there is none
     */
    public BundledModel get(String id) {
        BundledModel model = models.get(id);
        if (model == null) {
            throw new IllegalArgumentException(
                "unknown embedding model [" + id + "]; available models: " + (models.isEmpty() ? "(none in " + directory + ")" : String.join(", ", models.keySet()))
            );
        }
        return model;
    }
}
