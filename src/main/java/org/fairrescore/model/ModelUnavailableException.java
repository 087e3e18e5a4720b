package org.fairrescore.model;

/**
 * The node's model could not be loaded: a file is missing or corrupt, or ONNX Runtime refused it. The node runs on
 * without a model; the message names the model id and the file, and is what searches and ingest that need the model
 * are told.
 */
public final class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelUnavailableException(String message) {
        super(message);
    }
}
