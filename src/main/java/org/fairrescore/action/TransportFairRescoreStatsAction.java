package org.fairrescore.action;

import org.fairrescore.stats.FairRescoreStats;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.List;

/** Fans a stats request out to the nodes; each answers from its own {@link FairRescoreStats} on the management pool. */
public final class TransportFairRescoreStatsAction
        extends TransportNodesAction<
                FairRescoreStatsRequest, FairRescoreStatsResponse, FairRescoreStatsNodeRequest, FairRescoreNodeStats> {

    private final FairRescoreStats stats;

    @Inject
    public TransportFairRescoreStatsAction(
            ThreadPool threadPool,
            ClusterService clusterService,
            TransportService transportService,
            ActionFilters actionFilters,
            FairRescoreStats stats) {
        super(
                FairRescoreStatsAction.NAME,
                threadPool,
                clusterService,
                transportService,
                actionFilters,
                FairRescoreStatsRequest::new,
                FairRescoreStatsNodeRequest::new,
                ThreadPool.Names.MANAGEMENT,
                FairRescoreNodeStats.class);
        this.stats = stats;
    }

    @Override
    protected FairRescoreStatsResponse newResponse(
            FairRescoreStatsRequest request, List<FairRescoreNodeStats> responses, List<FailedNodeException> failures) {
        return new FairRescoreStatsResponse(clusterService.getClusterName(), responses, failures);
    }

    @Override
    protected FairRescoreStatsNodeRequest newNodeRequest(FairRescoreStatsRequest request) {
        return new FairRescoreStatsNodeRequest();
    }

    @Override
    protected FairRescoreNodeStats newNodeResponse(StreamInput in) throws IOException {
        return new FairRescoreNodeStats(in);
    }

    @Override
    protected FairRescoreNodeStats nodeOperation(FairRescoreStatsNodeRequest request) {
        return new FairRescoreNodeStats(clusterService.localNode(), stats.snapshot());
    }
}
