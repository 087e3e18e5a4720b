package org.fairrescore.model;

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

    private final Path directory;
    private final Map<String, BundledModel> models;

    private ModelRegistry(Path directory, Map<String, BundledModel> models) {
        this.directory = directory;
        this.models = models;
    }

    /**
     * Scans {@code modelsDir}: every sub-folder holding a {@code model.json} is a model, whose manifest id must equal
     * the folder name. Folders without a manifest are ignored. Only manifests are read: a model's other files are
     * checked when it is loaded ({@link BundledModel#checkFilesPresent()}, then the hashes), so that one broken
     * model does not hide the others.
     *
     * @throws IOException if the folder is missing or a manifest is unreadable
     * @throws IllegalArgumentException if a manifest is invalid
     */
    public static ModelRegistry scan(Path modelsDir) throws IOException {
        if (!Files.isDirectory(modelsDir)) {
            throw new NoSuchFileException(modelsDir.toString(), null, "models folder does not exist");
        }
        Map<String, BundledModel> models = new TreeMap<>();
        addModels(modelsDir, models);
        return new ModelRegistry(modelsDir, Collections.unmodifiableMap(models));
    }

    /**
     * The bundled models and, when {@code extraDir} exists, the models in it (e.g. the node's
     * {@code config/fair-rescore/models}).
     *
     * @throws IllegalArgumentException if a manifest is invalid or both folders hold a model with the same id
     */
    public static ModelRegistry scan(Path bundledDir, Path extraDir) throws IOException {
        ModelRegistry bundled = scan(bundledDir);
        if (extraDir == null || Files.isDirectory(extraDir) == false) {
            return bundled;
        }
        Map<String, BundledModel> extra = new TreeMap<>();
        addModels(extraDir, extra);
        Map<String, BundledModel> all = new TreeMap<>(bundled.models);
        for (Map.Entry<String, BundledModel> e : extra.entrySet()) {
            BundledModel clash = all.putIfAbsent(e.getKey(), e.getValue());
            if (clash != null) {
                throw new IllegalArgumentException("model id [" + e.getKey() + "] is both bundled (" + clash.directory()
                        + ") and in " + e.getValue().directory() + "; give the extra model another id");
            }
        }
        return new ModelRegistry(bundledDir, Collections.unmodifiableMap(all));
    }

    private static void addModels(Path modelsDir, Map<String, BundledModel> models) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(modelsDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
                if (!Files.isRegularFile(manifestFile)) {
                    continue;
                }
                ModelManifest manifest = ModelManifest.read(manifestFile);
                String folder = dir.getFileName().toString();
                if (!manifest.id().equals(folder)) {
                    throw new IllegalArgumentException("model manifest " + manifestFile + ": id [" + manifest.id()
                            + "] does not match its folder name [" + folder + "]");
                }
                models.put(manifest.id(), new BundledModel(manifest, dir));
            }
        }
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
            throw new IllegalArgumentException("unknown embedding model [" + id + "]; available models: "
                    + (models.isEmpty() ? "(none in " + directory + ")" : String.join(", ", models.keySet())));
        }
        return model;
    }
}
