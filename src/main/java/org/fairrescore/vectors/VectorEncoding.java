package org.fairrescore.vectors;

import java.util.Locale;

/** How a {@code fair_rescore_vector} stores each vector in its binary doc values. */
public enum VectorEncoding {
    /** Four bytes per dimension, exact. */
    FLOAT32("float32", (byte) 1),
    /** One byte per dimension plus a four-byte per-vector scale; about a quarter of the bytes, cosine error below 0.01. */
    INT8("int8", (byte) 2);

    private final String id;
    private final byte tag;

    VectorEncoding(String id, byte tag) {
        this.id = id;
        this.tag = tag;
    }

    /** The name used in mappings. */
    public String id() {
        return id;
    }

    /** The first byte of every encoded vector. */
    byte tag() {
        return tag;
    }

    /** Bytes of one encoded vector of {@code dims} dimensions. */
    public int encodedBytes(int dims) {
        return switch (this) {
            case FLOAT32 -> 1 + 4 * dims;
            case INT8 -> 1 + 4 + dims;
        };
    }

    public static VectorEncoding of(String id) {
        for (VectorEncoding e : values()) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "unknown vector encoding [%s]; use [float32] or [int8]", id));
    }

    /** The encoding whose vectors start with {@code tag}, or null (read for every stored vector: no array copy). */
    static VectorEncoding ofTag(byte tag) {
        return switch (tag) {
            case 1 -> FLOAT32;
            case 2 -> INT8;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
