package org.fairrescore.rest;

import org.fairrescore.action.ExposureGetAction;
import org.fairrescore.action.ExposureResetAction;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActions;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

import static org.opensearch.rest.RestRequest.Method.DELETE;
import static org.opensearch.rest.RestRequest.Method.GET;

/**
 * {@code GET _plugins/_fair_rescore/exposure/{index}?size=20&sort=exposure:desc}: the index's exposure ledger across
 * the cluster, per shop, after a sync with every node; {@code &local=true} answers from the receiving node's view as
 * its rescorer reads it, without that sync. {@code DELETE} the same path empties it on every node.
 */
public final class RestExposureAction extends BaseRestHandler {

    public static final String PATH = RestFairRescoreStatsAction.BASE + "/exposure/{index}";
    static final int DEFAULT_SIZE = 20;

    @Override
    public String getName() {
        return "fair_rescore_exposure_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, PATH), new Route(DELETE, PATH));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String index = request.param("index");
        if (request.method() == DELETE) {
            ExposureResetAction.Request reset = new ExposureResetAction.Request(index);
            if (request.hasParam("timeout")) {
                reset.timeout(request.paramAsTime("timeout", null));
            }
            return channel -> client.execute(
                    ExposureResetAction.INSTANCE, reset, new RestActions.NodesResponseRestListener<>(channel));
        }
        int size;
        try {
            size = request.paramAsInt("size", DEFAULT_SIZE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[size] must be a number, got [" + request.param("size") + "]", e);
        }
        boolean local = request.paramAsBoolean("local", false);
        ExposureGetAction.Request get = new ExposureGetAction.Request(index, size, request.param("sort"), local);
        return channel -> client.execute(ExposureGetAction.INSTANCE, get, new RestToXContentListener<>(channel));
    }
}
