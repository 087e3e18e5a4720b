package org.fairrescore.vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * A vector as {@code _source} holds it when the {@code fair_rescore_embed} processor wrote it: base64 of its float32
 * components, big-endian (the form Elasticsearch's {@code dense_vector} accepts too). Why not an array of numbers:
 * every search that filters {@code _source} parses each returned hit's whole source, and 384 numbers cost about 20 µs
 * per hit to parse against about 2 µs for one base64 string (and half the bytes); a search returning 10 hits thus
 * spent some 0.2 ms on vectors it never returns. {@link VectorFieldMapper} takes both forms.
 */
public final class SourceVector {

    private SourceVector() {}

    /** Base64 of the big-endian float32 components. */
    public static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /**
     * The vector {@code base64} holds.
     *
     * @throws IllegalArgumentException when it is not base64 or its bytes are not a whole number of floats
     */
    public static float[] decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException(
                    "base64 vector of " + bytes.length + " bytes is not a whole number of float32 components");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        float[] vector = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = buffer.getFloat();
        }
        return vector;
    }

    /** The components a base64 string of {@code length} characters holds, from its length alone (padding counted). */
    public static int dimensions(String base64) {
        int n = base64.length();
        int padding = n > 0 && base64.charAt(n - 1) == '=' ? (n > 1 && base64.charAt(n - 2) == '=' ? 2 : 1) : 0;
        return (n / 4 * 3 - padding) / Float.BYTES;
    }
}
