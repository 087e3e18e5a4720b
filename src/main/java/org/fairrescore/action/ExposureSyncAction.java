package org.fairrescore.action;

import org.fairrescore.exposure.LedgerDelta;
import org.opensearch.action.ActionType;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Node to node: one node asks the others for what changed in their exposure ledgers since the versions it holds
 * ({@code fair_rescore.exposure.sync_interval}, and before {@code GET .../exposure/{index}} answers). Never on the
 * search path.
 */
public final class ExposureSyncAction extends ActionType<ExposureSyncAction.Response> {

    public static final String NAME = "cluster:monitor/fair_rescore/exposure/sync";
    public static final ExposureSyncAction INSTANCE = new ExposureSyncAction();

    private ExposureSyncAction() {
        super(NAME, Response::new);
    }

    /** The nodes asked, and per node what the asking node holds of its ledgers. */
    public static final class Request extends BaseNodesRequest<Request> {
        private final Map<String, Map<String, LedgerDelta.Seen>> seen;

        public Request(Map<String, Map<String, LedgerDelta.Seen>> seen, String... nodeIds) {
            super(nodeIds);
            this.seen = seen;
        }

        public Request(StreamInput in) throws IOException {
            super(in);
            this.seen = ExposureWire.readSeen(in);
        }

        Map<String, Map<String, LedgerDelta.Seen>> seen() {
            return seen;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            ExposureWire.writeSeen(out, seen);
        }
    }

    /** What the asking node holds of every asked node's ledgers: each node picks its own part. */
    public static final class NodeRequest extends TransportRequest {
        private final Map<String, Map<String, LedgerDelta.Seen>> seen;

        NodeRequest(Map<String, Map<String, LedgerDelta.Seen>> seen) {
            this.seen = seen;
        }

        public NodeRequest(StreamInput in) throws IOException {
            super(in);
            this.seen = ExposureWire.readSeen(in);
        }

        Map<String, Map<String, LedgerDelta.Seen>> seen() {
            return seen;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            ExposureWire.writeSeen(out, seen);
        }
    }

    /** One node's changes, per index. */
    public static final class NodeResponse extends BaseNodeResponse {
        private final List<LedgerDelta> deltas;

        NodeResponse(DiscoveryNode node, List<LedgerDelta> deltas) {
            super(node);
            this.deltas = deltas;
        }

        public NodeResponse(StreamInput in) throws IOException {
            super(in);
            this.deltas = in.readList(ExposureWire::readDelta);
        }

        public List<LedgerDelta> deltas() {
            return deltas;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeCollection(deltas, ExposureWire::writeDelta);
        }
    }

    /** Every asked node's changes, and the nodes that did not answer. */
    public static final class Response extends BaseNodesResponse<NodeResponse> {
        public Response(ClusterName clusterName, List<NodeResponse> nodes, List<FailedNodeException> failures) {
            super(clusterName, nodes, failures);
        }

        public Response(StreamInput in) throws IOException {
            super(in);
        }

        @Override
        protected List<NodeResponse> readNodesFrom(StreamInput in) throws IOException {
            return in.readList(NodeResponse::new);
        }

        @Override
        protected void writeNodesTo(StreamOutput out, List<NodeResponse> nodes) throws IOException {
            out.writeList(nodes);
        }
    }
}
