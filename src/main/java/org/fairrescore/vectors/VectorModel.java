package org.fairrescore.vectors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * An embedding model as vector fields and the processor see it: its id, its vector length and its fingerprint, the
 * eight bytes every stored vector carries so that a vector is only ever compared with a query vector of the model
 * that made it.
 *
 * <p>The fingerprint is taken from the id alone (the first 8 bytes of SHA-256 of the UTF-8 id), so every node
 * computes the same one without holding the model's files: a model's id names its weights, and a model whose
 * weights, pooling or prefixes change must get a new id.
 */
public record VectorModel(String id, int dims) {

    /** The fingerprint of vectors written before vectors carried one: it matches no model. */
    public static final long UNKNOWN = 0L;

    public VectorModel {
        Objects.requireNonNull(id, "id");
        if (dims < 1) {
            throw new IllegalArgumentException("dims must be at least 1, got " + dims);
        }
    }

    /** The fingerprint stored with each vector of this model. */
    public long fingerprint() {
        return fingerprintOf(id);
    }

    /** The fingerprint of the model with this id; never {@link #UNKNOWN}. */
    public static long fingerprintOf(String modelId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(modelId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        long fingerprint = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            fingerprint = (fingerprint << 8) | (digest[i] & 0xFF);
        }
        return fingerprint == UNKNOWN ? 1L : fingerprint;
    }
}
