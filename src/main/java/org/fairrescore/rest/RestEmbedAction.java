package org.fairrescore.rest;

import org.fairrescore.action.EmbedAction;
import org.fairrescore.action.EmbedRequest;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;
import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code GET|POST _plugins/_fair_rescore/_embed} with {@code {"text": "..."}} or {@code {"texts": [...]}}, like
 * {@code _analyze}: what the node's model makes of a text. {@code ?include_vector=false} returns tokens only (no
 * inference).
 */
public final class RestEmbedAction extends BaseRestHandler {

    public static final String PATH = RestFairRescoreStatsAction.BASE + "/_embed";
    public static final String INCLUDE_VECTOR = "include_vector";

    @Override
    public String getName() {
        return "fair_rescore_embed_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, PATH), new Route(POST, PATH));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        EmbedRequest embed = parse(request);
        return channel -> client.execute(EmbedAction.INSTANCE, embed, new RestToXContentListener<>(channel));
    }

    /** The body as an {@link EmbedRequest}; 400 (naming the field) for a missing body or a bad field. */
    static EmbedRequest parse(RestRequest request) throws IOException {
        boolean includeVector;
        try {
            includeVector = request.paramAsBoolean(INCLUDE_VECTOR, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "[" + INCLUDE_VECTOR + "] must be true or false, got [" + request.param(INCLUDE_VECTOR) + "]", e);
        }
        if (request.hasContentOrSourceParam() == false) {
            throw new IllegalArgumentException(
                    "[_embed] requires a body with [" + EmbedRequest.TEXT + "]: the text to embed");
        }
        try (XContentParser parser = request.contentOrSourceParamParser()) {
            return EmbedRequest.parse(parser, includeVector);
        }
    }
}
