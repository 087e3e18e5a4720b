package org.fairrescore.rescore;

import java.util.List;

/**
 * A test model that only answers through its async methods (what the rescorer must use, so that it waits within its
 * inference budget); the synchronous ones fail the test.
 */
abstract class AsyncOnlyEmbeddings implements Embeddings {

    private final String modelId;

    AsyncOnlyEmbeddings(String modelId) {
        this.modelId = modelId;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public float[] embedQuery(String text) {
        throw new AssertionError("the rescorer must ask for the query vector asynchronously");
    }

    @Override
    public float[][] embedDocuments(List<String> texts) {
        throw new AssertionError("the rescorer must ask for document vectors asynchronously");
    }
}
