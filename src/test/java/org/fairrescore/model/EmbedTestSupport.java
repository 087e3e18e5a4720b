package org.fairrescore.model;

import org.fairrescore.tokenizer.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared helpers: where the bundled models are, and the reference fixtures. */
public final class EmbedTestSupport {

    public static final String MINILM = "all-minilm-l6-v2-q";
    public static final String BGE_EN = "bge-small-en-v15-q";
    public static final String BGE_ZH = "bge-small-zh-v15-q";

    private EmbedTestSupport() {}

    /** {@code target/models}, as written by the bundler at process-classes (Surefire passes the path). */
    public static Path modelsDir() {
        Path dir = Path.of(System.getProperty("fair_rescore.test.models", "target/models"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    "bundled models not found at " + dir.toAbsolutePath() + "; run 'mvn process-classes' first");
        }
        return dir;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> fixture(String resource) {
        try (InputStream in = EmbedTestSupport.class.getResourceAsStream("/fixtures/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture /fixtures/" + resource + " is not on the test classpath");
            }
            return (Map<String, Object>) Json.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Object list) {
        return (List<Map<String, Object>>) list;
    }

    public static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).intValue();
        }
        return out;
    }

    public static float[] floats(Object list) {
        List<?> l = (List<?>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).floatValue();
        }
        return out;
    }

    public static String[] strings(Object list) {
        return ((List<?>) list).toArray(new String[0]);
    }

    /** Escapes non-ASCII and control characters so that failure messages show what the text holds. */
    public static String show(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().limit(80).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                sb.append((char) cp);
            } else {
                sb.append(String.format(java.util.Locale.ROOT, "\\u{%x}", cp));
            }
        });
        return sb.append(s.codePointCount(0, s.length()) > 80 ? "…\"" : "\"").toString();
    }
}
