package org.fairrescore.action;

import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.model.TextRole;
import org.fairrescore.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the {@code _embed} action asks of the node's models: the tokenizer's encoding of each text in the asked role
 * (the model's query or document prefix applied, truncated to the model's token limit, as the rescorer and the ingest
 * processor do) and, when asked, the vector they would use for it.
 */
public final class NodeEmbedder {

    private final Function<String, OnnxEmbedder> models;
    private final String defaultModel;

    /**
     * @param models       the node's loaded model with an id; throws a 400 for a model the node does not load, a 503
     *                     for one it could not load
     * @param defaultModel the model of requests that name none
     */
    public NodeEmbedder(Function<String, OnnxEmbedder> models, String defaultModel) {
        this.models = models;
        this.defaultModel = defaultModel;
    }

    public EmbedResponse embed(EmbedRequest request) {
        OnnxEmbedder m = models.apply(request.model() == null ? defaultModel : request.model());
        TextRole role = request.role();
        List<Encoding> encodings = m.encode(role, request.texts());
        float[][] vectors = request.includeVector() ? m.embedEncodings(encodings) : null;
        List<EmbedResponse.Embedding> out = new ArrayList<>(encodings.size());
        for (int i = 0; i < encodings.size(); i++) {
            Encoding e = encodings.get(i);
            out.add(new EmbedResponse.Embedding(
                    e.tokens(), e.ids(), e.truncated(), vectors == null ? null : vectors[i]));
        }
        String prefix = role.apply(m.manifest(), "");
        return new EmbedResponse(m.modelId(), role.id(), prefix, m.dims(), m.maxTokens(), out);
    }
}
