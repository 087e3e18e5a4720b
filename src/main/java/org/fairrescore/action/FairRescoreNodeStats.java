package org.fairrescore.action;

import org.fairrescore.stats.NodeStats;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** One node's answer to a stats request: its name and address, and a reading of its counters. */
public final class FairRescoreNodeStats extends BaseNodeResponse implements ToXContentFragment {

    private final NodeStats stats;

    public FairRescoreNodeStats(DiscoveryNode node, NodeStats stats) {
        super(node);
        this.stats = stats;
    }

    public FairRescoreNodeStats(StreamInput in) throws IOException {
        super(in);
        this.stats = new NodeStats(in);
    }

    public NodeStats stats() {
        return stats;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        stats.writeTo(out);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("name", getNode().getName());
        builder.field("transport_address", getNode().getAddress().toString());
        return stats.toXContent(builder, params);
    }
}
