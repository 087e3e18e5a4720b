package org.fairrescore.model;

import java.io.Closeable;
import java.util.List;

/** Turns texts into unit-length sentence vectors. Implementations are safe for concurrent callers. */
public interface TextEmbedder extends Closeable {

    /** The model id from the manifest. */
    String modelId();

    /** Vector length. */
    int dims();

    /**
     * Embeds each text; element {@code i} of the result belongs to {@code texts.get(i)}. An empty list gives an empty
     * array.
     *
     * @throws EmbeddingException if inference fails
     * @throws IllegalStateException if the embedder is closed
     */
    float[][] embed(List<String> texts);

    /** Embeds one text. */
    default float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /** Releases native resources; later calls fail with {@link IllegalStateException}. */
    @Override
    void close();
}
