package org.fairrescore.vectors;

import java.util.Locale;

/** How a {@code fair_rescore_vector} stores each vector in its binary doc values (see {@link VectorCodec}). */
public enum VectorEncoding {
    /** Four bytes per dimension, exact. */
    FLOAT32("float32", (byte) 3, (byte) 1),
    /** One byte per dimension plus a four-byte per-vector scale; about a quarter of the bytes, cosine error below 0.01. */
    INT8("int8", (byte) 4, (byte) 2);

    private final String id;
    private final byte tag;
    private final byte unboundTag;

    VectorEncoding(String id, byte tag, byte unboundTag) {
        this.id = id;
        this.tag = tag;
        this.unboundTag = unboundTag;
    }

    /** The name used in mappings. */
    public String id() {
        return id;
    }

    /** The first byte of every vector written now: the encoding, followed by the model's fingerprint. */
    byte tag() {
        return tag;
    }

    /** The first byte of vectors written before vectors carried their model's fingerprint (read, never written). */
    byte unboundTag() {
        return unboundTag;
    }

    /** Bytes of one encoded vector of {@code dims} dimensions, header (tag and model fingerprint) included. */
    public int encodedBytes(int dims) {
        return VectorCodec.HEADER_BYTES + payloadBytes(dims);
    }

    /** Bytes after the header: the components (and, for int8, the scale). */
    int payloadBytes(int dims) {
        return switch (this) {
            case FLOAT32 -> 4 * dims;
            case INT8 -> 4 + dims;
        };
    }

    public static VectorEncoding of(String id) {
        for (VectorEncoding e : values()) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                String.format(Locale.ROOT, "unknown vector encoding [%s]; use [float32] or [int8]", id));
    }

    /** The encoding whose vectors start with {@code tag} (bound or unbound), or null (no array copy: read per vector). */
    static VectorEncoding ofTag(byte tag) {
        return switch (tag) {
            case 1, 3 -> FLOAT32;
            case 2, 4 -> INT8;
            default -> null;
        };
    }

    /** Whether vectors starting with {@code tag} carry their model's fingerprint. */
    static boolean isBound(byte tag) {
        return tag == 3 || tag == 4;
    }

    @Override
    public String toString() {
        return id;
    }
}
