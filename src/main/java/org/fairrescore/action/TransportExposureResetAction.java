package org.fairrescore.action;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.List;

/** Resolves the index here (404 for none), then every node empties its ledger of it. */
public final class TransportExposureResetAction
        extends TransportNodesAction<
                ExposureResetAction.Request,
                ExposureResetAction.Response,
                ExposureResetAction.NodeRequest,
                ExposureResetAction.NodeResponse> {

    private final IndexNameExpressionResolver resolver;
    private final NodeExposure exposure;

    @Inject
    public TransportExposureResetAction(
            ThreadPool threadPool,
            ClusterService clusterService,
            TransportService transportService,
            ActionFilters actionFilters,
            IndexNameExpressionResolver resolver,
            NodeExposure exposure) {
        super(
                ExposureResetAction.NAME,
                threadPool,
                clusterService,
                transportService,
                actionFilters,
                ExposureResetAction.Request::new,
                ExposureResetAction.NodeRequest::new,
                ThreadPool.Names.GENERIC,
                ExposureResetAction.NodeResponse.class);
        this.resolver = resolver;
        this.exposure = exposure;
    }

    @Override
    protected void doExecute(
            Task task, ExposureResetAction.Request request, ActionListener<ExposureResetAction.Response> listener) {
        try {
            IndexMetadata index = ExposureIndices.resolve(clusterService.state(), resolver, request.index());
            request.uuid(index.getIndexUUID());
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        super.doExecute(task, request, listener);
    }

    @Override
    protected ExposureResetAction.Response newResponse(
            ExposureResetAction.Request request,
            List<ExposureResetAction.NodeResponse> responses,
            List<FailedNodeException> failures) {
        return new ExposureResetAction.Response(clusterService.getClusterName(), request.index(), responses, failures);
    }

    @Override
    protected ExposureResetAction.NodeRequest newNodeRequest(ExposureResetAction.Request request) {
        return new ExposureResetAction.NodeRequest(request.uuid());
    }

    @Override
    protected ExposureResetAction.NodeResponse newNodeResponse(StreamInput in) throws IOException {
        return new ExposureResetAction.NodeResponse(in);
    }

    @Override
    protected ExposureResetAction.NodeResponse nodeOperation(ExposureResetAction.NodeRequest request) {
        exposure.clear(request.uuid());
        return new ExposureResetAction.NodeResponse(clusterService.localNode());
    }
}
