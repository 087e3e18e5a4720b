package org.fairrescore.rest;

import org.fairrescore.embed.Encoding;
import org.fairrescore.embed.OnnxEmbedder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the {@code _embed} action asks of the node's model: the tokenizer's encoding of each text (truncated to the
 * model's token limit, as the rescorer truncates) and, when asked, the vector the rescorer would use for it as a query.
 */
public final class NodeEmbedder {

    private final Supplier<OnnxEmbedder> model;

    /** @param model the node's model, available once the node has started */
    public NodeEmbedder(Supplier<OnnxEmbedder> model) {
        this.model = model;
    }

    public EmbedResponse embed(EmbedRequest request) {
        OnnxEmbedder m = model.get();
        if (m == null) {
            throw new IllegalStateException("[_embed] the embedding model is not loaded on this node yet");
        }
        List<Encoding> encodings = new ArrayList<>(request.texts().size());
        for (String text : request.texts()) {
            encodings.add(m.tokenizer().encode(text, m.maxTokens()));
        }
        float[][] vectors = request.includeVector() ? m.embedEncodings(encodings) : null;
        List<EmbedResponse.Embedding> out = new ArrayList<>(encodings.size());
        for (int i = 0; i < encodings.size(); i++) {
            Encoding e = encodings.get(i);
            out.add(new EmbedResponse.Embedding(e.tokens(), e.ids(), e.truncated(), vectors == null ? null : vectors[i]));
        }
        return new EmbedResponse(m.modelId(), m.dims(), m.maxTokens(), out);
    }
}
