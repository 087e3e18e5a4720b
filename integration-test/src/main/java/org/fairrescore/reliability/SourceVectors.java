package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Reads a {@code fair_rescore_vector} back from a document's {@code _source}: the {@code fair_rescore_embed}
 * processor's object ({@code {"model", "text_hash", "vector"}}) with the vector as base64 of big-endian float32 values
 * (what the processor writes) or an array of numbers (what a client may write, and what the processor wrote before),
 * or the bare array or base64 string.
 */
public final class SourceVectors {

    private SourceVectors() {}

    /** The vector in {@code value} (the field's value in {@code _source}), or null when it holds none. */
    public static float[] of(JsonNode value) {
        JsonNode vector = value.isObject() ? value.path("vector") : value;
        if (vector.isTextual()) {
            byte[] bytes = Base64.getDecoder().decode(vector.asText());
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
            float[] v = new float[bytes.length / Float.BYTES];
            for (int i = 0; i < v.length; i++) {
                v[i] = buffer.getFloat();
            }
            return v;
        }
        if (vector.isArray()) {
            float[] v = new float[vector.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) vector.get(i).asDouble();
            }
            return v;
        }
        return null;
    }
}
