package org.fairrescore.vectors;

/** The node's embedding model as the vector field and processor see it: its id and vector length. */
public record VectorModel(String id, int dims) {}
