package org.fairrescore.vectors;

import org.apache.lucene.util.BytesRef;
import org.fairrescore.model.VectorMath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The bytes of one vector in binary doc values. Every vector is scaled to unit length before it is stored (the
 * rescorer only needs cosines, which do not change), so a dot product with a unit query vector is the cosine.
 *
 * <pre>
 * float32: [3] model fingerprint (int64, LE), then dims x float32, little-endian           9 + 4 * dims bytes
 * int8:    [4] model fingerprint (int64, LE), the scale (float32, LE), dims x int8         13 + dims bytes
 * </pre>
 *
 * The fingerprint ({@link VectorModel#fingerprint()}) names the model that made the vector: the rescorer compares it
 * with the query model's and never scores a vector of another model. Vectors written before vectors carried it
 * (tags 1 and 2, without the fingerprint) are still read, as vectors of an {@link VectorModel#UNKNOWN unknown}
 * model. The int8 scale is {@code max |v_i| / 127} of the unit vector, so each component is off by at most half a
 * step ({@code scale / 2}); decoding scales the result back to unit length.
 */
public final class VectorCodec {

    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /** Tag and model fingerprint in front of every vector written now. */
    static final int HEADER_BYTES = 1 + Long.BYTES;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private VectorCodec() {}

    /**
     * Encodes a copy of {@code vector} scaled to unit length, bound to the model with fingerprint {@code model}.
     *
     * @throws IllegalArgumentException if a component is NaN or infinite
     */
    public static byte[] encode(float[] vector, VectorEncoding encoding, long model) {
        float[] unit = vector.clone();
        for (int i = 0; i < unit.length; i++) {
            if (Float.isFinite(unit[i]) == false) {
                throw new IllegalArgumentException(
                        String.format(Locale.ROOT, "component %d is %s; vectors must be finite numbers", i, unit[i]));
            }
        }
        VectorMath.l2Normalize(unit);
        byte[] out = new byte[encoding.encodedBytes(unit.length)];
        out[0] = encoding.tag();
        LONG_LE.set(out, 1, model);
        int at = HEADER_BYTES;
        switch (encoding) {
            case FLOAT32 -> {
                for (int i = 0; i < unit.length; i++) {
                    putFloat(out, at + 4 * i, unit[i]);
                }
            }
            case INT8 -> {
                float max = 0f;
                for (float v : unit) {
                    max = Math.max(max, Math.abs(v));
                }
                float scale = max / 127f;
                putFloat(out, at, scale);
                for (int i = 0; i < unit.length; i++) {
                    out[at + 4 + i] =
                            scale == 0f ? 0 : (byte) Math.max(-127, Math.min(127, Math.round(unit[i] / scale)));
                }
            }
        }
        return out;
    }

    /** Decodes a vector of {@code dims} dimensions; unit length (or all zeros). */
    public static float[] decode(BytesRef bytes, int dims) {
        float[] out = new float[dims];
        decode(bytes, out);
        return out;
    }

    /**
     * Decodes into {@code out}, whose length is the expected number of dimensions.
     *
     * @throws IllegalArgumentException if the bytes are not a vector of that many dimensions
     */
    public static void decode(BytesRef bytes, float[] out) {
        int dims = out.length;
        VectorEncoding encoding = check(bytes, dims);
        byte[] b = bytes.bytes;
        int at = bytes.offset + headerBytes(bytes);
        switch (encoding) {
            case FLOAT32 -> {
                for (int i = 0; i < dims; i++) {
                    out[i] = getFloat(b, at + 4 * i);
                }
            }
            case INT8 -> {
                float scale = getFloat(b, at);
                at += 4;
                for (int i = 0; i < dims; i++) {
                    out[i] = b[at + i] * scale;
                }
                VectorMath.l2Normalize(out);
            }
        }
    }

    /**
     * The cosine between a unit query vector and a stored vector, read straight from the bytes (nothing allocated).
     * For float32 it is exactly what {@code VectorMath.dotFloat(query, decode(bytes))} gives (the same lanes and
     * order); for int8 the scale cancels: {@code sum(q_i b_i) / sqrt(sum(b_i^2))}.
     *
     * @throws IllegalArgumentException if the bytes are not a vector of {@code query.length} dimensions
     */
    public static float cosine(BytesRef bytes, float[] query) {
        int dims = query.length;
        VectorEncoding encoding = check(bytes, dims);
        byte[] b = bytes.bytes;
        int at = bytes.offset + headerBytes(bytes);
        if (encoding == VectorEncoding.FLOAT32) {
            // VectorMath.dotFloat's lanes and order, reading the floats in place
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            int i = 0;
            for (; i + VectorMath.LANES <= dims; i += VectorMath.LANES) {
                int o = at + 4 * i;
                s0 += query[i] * getFloat(b, o);
                s1 += query[i + 1] * getFloat(b, o + 4);
                s2 += query[i + 2] * getFloat(b, o + 8);
                s3 += query[i + 3] * getFloat(b, o + 12);
                s4 += query[i + 4] * getFloat(b, o + 16);
                s5 += query[i + 5] * getFloat(b, o + 20);
                s6 += query[i + 6] * getFloat(b, o + 24);
                s7 += query[i + 7] * getFloat(b, o + 28);
            }
            float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
            for (; i < dims; i++) {
                sum += query[i] * getFloat(b, at + 4 * i);
            }
            return sum;
        }
        at += 4;
        double dot = 0;
        long squares = 0;
        for (int i = 0; i < dims; i++) {
            int v = b[at + i];
            dot += (double) query[i] * v;
            squares += (long) v * v;
        }
        return squares == 0 ? 0f : (float) (dot / Math.sqrt(squares));
    }

    private static VectorEncoding check(BytesRef bytes, int dims) {
        VectorEncoding encoding = encodingOf(bytes);
        if (encoding == null || bytes.length != headerBytes(bytes) + encoding.payloadBytes(dims)) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "stored vector of %d bytes (encoding tag %s) is not a %d-dimension vector",
                    bytes.length,
                    bytes.length > 0 ? Byte.toString(bytes.bytes[bytes.offset]) : "none",
                    dims));
        }
        return encoding;
    }

    /** 9 for a vector that carries its model's fingerprint, 1 for one written before vectors did. */
    private static int headerBytes(BytesRef bytes) {
        return VectorEncoding.isBound(bytes.bytes[bytes.offset]) ? HEADER_BYTES : 1;
    }

    /**
     * The fingerprint of the model that made the stored vector ({@link VectorModel#fingerprint()}), or
     * {@link VectorModel#UNKNOWN} for a vector written before vectors carried one (or bytes that are no vector).
     */
    public static long model(BytesRef bytes) {
        if (bytes.length < HEADER_BYTES || VectorEncoding.isBound(bytes.bytes[bytes.offset]) == false) {
            return VectorModel.UNKNOWN;
        }
        return (long) LONG_LE.get(bytes.bytes, bytes.offset + 1);
    }

    /** The encoding of stored bytes, or null if they do not start with a known tag. */
    public static VectorEncoding encodingOf(BytesRef bytes) {
        return bytes.length > 0 ? VectorEncoding.ofTag(bytes.bytes[bytes.offset]) : null;
    }

    private static void putFloat(byte[] out, int at, float value) {
        FLOAT_LE.set(out, at, value);
    }

    private static float getFloat(byte[] in, int at) {
        return (float) FLOAT_LE.get(in, at);
    }
}
