package org.fairrescore.action;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/**
 * The nodes' counters. Rendered as core's nodes APIs are: {@code _nodes} (total, successful, failed) and
 * {@code cluster_name} come from the REST listener, then {@code nodes: {<node id>: {...}}}.
 */
public final class FairRescoreStatsResponse extends BaseNodesResponse<FairRescoreNodeStats>
        implements ToXContentFragment {

    public FairRescoreStatsResponse(
            ClusterName clusterName, List<FairRescoreNodeStats> nodes, List<FailedNodeException> failures) {
        super(clusterName, nodes, failures);
    }

    public FairRescoreStatsResponse(StreamInput in) throws IOException {
        super(in);
    }

    @Override
    protected List<FairRescoreNodeStats> readNodesFrom(StreamInput in) throws IOException {
        return in.readList(FairRescoreNodeStats::new);
    }

    @Override
    protected void writeNodesTo(StreamOutput out, List<FairRescoreNodeStats> nodes) throws IOException {
        out.writeList(nodes);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject("nodes");
        for (FairRescoreNodeStats node : getNodes()) {
            builder.startObject(node.getNode().getId());
            node.toXContent(builder, params);
            builder.endObject();
        }
        builder.endObject();
        return builder;
    }
}
