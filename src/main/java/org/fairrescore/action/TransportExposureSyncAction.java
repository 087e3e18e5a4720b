package org.fairrescore.action;

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
import java.util.Map;

/** Answers a peer's sync from this node's own ledgers (on the generic pool: copying a large ledger takes a while). */
public final class TransportExposureSyncAction
        extends TransportNodesAction<
                ExposureSyncAction.Request,
                ExposureSyncAction.Response,
                ExposureSyncAction.NodeRequest,
                ExposureSyncAction.NodeResponse> {

    private final NodeExposure exposure;

    @Inject
    public TransportExposureSyncAction(
            ThreadPool threadPool,
            ClusterService clusterService,
            TransportService transportService,
            ActionFilters actionFilters,
            NodeExposure exposure) {
        super(
                ExposureSyncAction.NAME,
                threadPool,
                clusterService,
                transportService,
                actionFilters,
                ExposureSyncAction.Request::new,
                ExposureSyncAction.NodeRequest::new,
                ThreadPool.Names.GENERIC,
                ExposureSyncAction.NodeResponse.class);
        this.exposure = exposure;
    }

    @Override
    protected ExposureSyncAction.Response newResponse(
            ExposureSyncAction.Request request,
            List<ExposureSyncAction.NodeResponse> responses,
            List<FailedNodeException> failures) {
        return new ExposureSyncAction.Response(clusterService.getClusterName(), responses, failures);
    }

    @Override
    protected ExposureSyncAction.NodeRequest newNodeRequest(ExposureSyncAction.Request request) {
        return new ExposureSyncAction.NodeRequest(request.seen());
    }

    @Override
    protected ExposureSyncAction.NodeResponse newNodeResponse(StreamInput in) throws IOException {
        return new ExposureSyncAction.NodeResponse(in);
    }

    @Override
    protected ExposureSyncAction.NodeResponse nodeOperation(ExposureSyncAction.NodeRequest request) {
        String self = clusterService.localNode().getId();
        return new ExposureSyncAction.NodeResponse(
                clusterService.localNode(), exposure.changesFor(request.seen().getOrDefault(self, Map.of())));
    }
}
