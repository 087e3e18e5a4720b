package org.fairrescore.action;

import org.opensearch.action.ActionType;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;
import java.util.List;

/**
 * {@code DELETE _plugins/_fair_rescore/exposure/{index}}: every node empties its ledger of the index (what it recorded,
 * its copies of the others', the view, the file). A node that was away keeps what it had: reset again once it is back.
 */
public final class ExposureResetAction extends ActionType<ExposureResetAction.Response> {

    public static final String NAME = "cluster:admin/fair_rescore/exposure/reset";
    public static final ExposureResetAction INSTANCE = new ExposureResetAction();

    private ExposureResetAction() {
        super(NAME, Response::new);
    }

    /** The index (or alias of one index) to reset, on every node; its UUID is resolved by the node that receives it. */
    public static final class Request extends BaseNodesRequest<Request> {
        private final String index;
        private String uuid;

        public Request(String index) {
            super((String[]) null);
            this.index = index;
        }

        public Request(StreamInput in) throws IOException {
            super(in);
            this.index = in.readString();
            this.uuid = in.readOptionalString();
        }

        public String index() {
            return index;
        }

        String uuid() {
            return uuid;
        }

        void uuid(String uuid) {
            this.uuid = uuid;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(index);
            out.writeOptionalString(uuid);
        }
    }

    public static final class NodeRequest extends TransportRequest {
        private final String uuid;

        NodeRequest(String uuid) {
            this.uuid = uuid;
        }

        public NodeRequest(StreamInput in) throws IOException {
            super(in);
            this.uuid = in.readString();
        }

        String uuid() {
            return uuid;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(uuid);
        }
    }

    public static final class NodeResponse extends BaseNodeResponse {
        NodeResponse(DiscoveryNode node) {
            super(node);
        }

        public NodeResponse(StreamInput in) throws IOException {
            super(in);
        }
    }

    /** Which nodes reset the ledger, and which failed to. */
    public static final class Response extends BaseNodesResponse<NodeResponse> implements ToXContentFragment {
        private final String index;

        public Response(
                ClusterName clusterName, String index, List<NodeResponse> nodes, List<FailedNodeException> failures) {
            super(clusterName, nodes, failures);
            this.index = index;
        }

        public Response(StreamInput in) throws IOException {
            super(in);
            this.index = in.readString();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(index);
        }

        @Override
        protected List<NodeResponse> readNodesFrom(StreamInput in) throws IOException {
            return in.readList(NodeResponse::new);
        }

        @Override
        protected void writeNodesTo(StreamOutput out, List<NodeResponse> nodes) throws IOException {
            out.writeList(nodes);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.field("acknowledged", hasFailures() == false);
            builder.field("index", index);
            builder.field("reset_nodes", getNodes().size());
            return builder;
        }
    }
}
