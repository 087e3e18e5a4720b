package org.fairrescore.rest;

import org.fairrescore.action.FairRescoreStatsAction;
import org.fairrescore.action.FairRescoreStatsRequest;
import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActions;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;

/**
 * {@code GET _plugins/_fair_rescore/stats} and {@code GET _plugins/_fair_rescore/{node_id}/stats}, shaped like
 * {@code GET _nodes/stats}.
 */
public final class RestFairRescoreStatsAction extends BaseRestHandler {

    public static final String BASE = "/_plugins/_fair_rescore";

    @Override
    public String getName() {
        return "fair_rescore_stats_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, BASE + "/stats"), new Route(GET, BASE + "/{node_id}/stats"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        FairRescoreStatsRequest stats =
                new FairRescoreStatsRequest(Strings.splitStringByCommaToArray(request.param("node_id")));
        if (request.hasParam("timeout")) {
            stats.timeout(request.paramAsTime("timeout", null));
        }
        return channel -> client.execute(
                FairRescoreStatsAction.INSTANCE, stats, new RestActions.NodesResponseRestListener<>(channel));
    }
}
